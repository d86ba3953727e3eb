import { CloseButton, TextInput, type TextInputProps } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';

type DebouncedTextInputProps = Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue'> & {
  value: string;
  /** Called once typing pauses (or on Enter), not on every key. */
  onChange: (value: string) => void;
  delay?: number;
};

/** A search box for filters that live in the URL: typing does not rewrite the address on every key. */
export function DebouncedTextInput({ value, onChange, delay = 350, ...props }: DebouncedTextInputProps) {
  const [text, setText] = useState(value);
  // The last value this input sent; a different `value` prop means someone else changed it (Clear filters).
  const [sent, setSent] = useState(value);
  const commit = useDebouncedCallback((next: string) => {
    setSent(next);
    onChange(next);
  }, delay);

  if (value !== sent) {
    setSent(value);
    setText(value);
    commit.cancel();
  }

  return (
    <TextInput
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        commit(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit.flush();
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label="Clear search"
            onClick={() => {
              setText('');
              commit('');
              commit.flush();
            }}
          />
        ) : null
      }
      {...props}
    />
  );
}
