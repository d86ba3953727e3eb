import { useState } from 'react';
import { Select, type ComboboxData, type ComboboxGenericItem, type ComboboxItem, type ComboboxItemGroup, type SelectProps } from '@mantine/core';

type Entry = string | ComboboxItem | ComboboxGenericItem | ComboboxItemGroup<string | ComboboxGenericItem | ComboboxItem>;

function flatten(data: ComboboxData | readonly Entry[] | undefined, into: ComboboxItem[] = []): ComboboxItem[] {
  for (const entry of data ?? []) {
    if (typeof entry === 'string') into.push({ value: entry, label: entry });
    else if ('group' in entry) flatten(entry.items, into);
    else if ('label' in entry && typeof entry.label === 'string') into.push({ value: entry.value, label: entry.label, disabled: entry.disabled ?? false });
    else into.push({ value: entry.value, label: entry.value, disabled: entry.disabled ?? false });
  }
  return into;
}

/**
 * A Select you can type into: typing an option's full name picks it, without opening the list.
 * (No `autoSelectOnBlur`: it keeps the option list mounted, labelled like the input, while closed.)
 */
export function SearchableSelect({ data, value, onChange, onSearchChange, onDropdownOpen, onDropdownClose, ...props }: SelectProps) {
  const items = flatten(data);
  const [opened, setOpened] = useState(false);

  function handleSearchChange(search: string) {
    onSearchChange?.(search);
    const wanted = search.trim().toLowerCase();
    if (!wanted || !onChange) return;
    const match = items.find((item) => item.label.toLowerCase() === wanted);
    if (!match || match.disabled) return;
    if (match.value !== value) onChange(match.value, match);
    // Typed in full: the list has done its job and would only cover what comes next.
    setOpened(false);
  }

  return (
    <Select
      searchable
      selectFirstOptionOnChange
      nothingFoundMessage="Nothing matches"
      maxDropdownHeight={280}
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={handleSearchChange}
      dropdownOpened={opened}
      onDropdownOpen={() => {
        setOpened(true);
        onDropdownOpen?.();
      }}
      onDropdownClose={() => {
        setOpened(false);
        onDropdownClose?.();
      }}
      {...props}
    />
  );
}
