import { TextInput, type TextInputProps } from '@mantine/core';

type AuthCodeInputProps = Omit<TextInputProps, 'onChange' | 'value'> & {
  value: string;
  onChange: (code: string) => void;
};

/**
 * The 6-digit code from an authenticator app. A single labelled input (rather than six boxes)
 * keeps it reachable as "Authentication code" and lets password managers and SMS autofill work.
 */
export function AuthCodeInput({ value, onChange, label = 'Authentication code', ...props }: AuthCodeInputProps) {
  return (
    <TextInput
      label={label}
      placeholder="000000"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      size="md"
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
      styles={{
        input: {
          fontFamily: 'var(--mantine-font-family-monospace)',
          letterSpacing: '0.45em',
          textAlign: 'center',
          fontWeight: 600,
          fontSize: 'var(--mantine-font-size-xl)',
          height: 52,
        },
      }}
      {...props}
    />
  );
}
