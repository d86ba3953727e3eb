import { createTheme, defaultVariantColorsResolver, type CSSVariablesResolver, type VariantColorsResolver } from '@mantine/core';

const systemFontStack =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif, "Apple Color Emoji", "Segoe UI Emoji"';

/**
 * White on a filled red button (Revoke, Give back, Delete account) reaches WCAG's 4.5:1 only from
 * shade 8 (shade 7 is 3.8:1, and dark mode's shade 5 less), in both colour schemes.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'filled' || input.color !== 'red') return colors;
  return { ...colors, background: 'var(--mantine-color-red-8)', hover: 'var(--mantine-color-red-9)', color: 'var(--mantine-color-white)' };
};

export const theme = createTheme({
  variantColorResolver,
  primaryColor: 'indigo',
  // Shade 7 in light mode: white text on it, and it as text on white, reach WCAG's 4.5:1 (shade 6 is 4.3:1).
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  fontFamily: systemFontStack,
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontFamily: systemFontStack, fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    Button: {
      defaultProps: { fw: 600 },
      // Long labels ("Enable two-factor authentication") wrap on narrow phones instead of being cut off.
      // Flex centring keeps the label in the middle when the button is a link (<a>) with that auto height.
      styles: {
        root: { height: 'auto', minHeight: 'var(--button-height)', display: 'inline-flex', alignItems: 'center', justifyContent: 'center' },
        label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.25, paddingBlock: 4 },
      },
    },
    Paper: { defaultProps: { radius: 'md' } },
    Card: { defaultProps: { radius: 'md', withBorder: true } },
    Alert: { defaultProps: { radius: 'md' } },
    // Underlined, so a link in a sentence does not rely on colour alone.
    Anchor: { defaultProps: { underline: 'always' } },
    // Mount a Select's option list only while it is open: a hidden list would carry the input's
    // label too, and "the field labelled Team" would then name two elements.
    Select: { defaultProps: { comboboxProps: { keepMounted: false } } },
    // Status badges keep their full text when a table column gets tight.
    Badge: { styles: { root: { flexShrink: 0, minWidth: 'max-content' } } },
    // Column titles stay on one line; wide tables scroll sideways in their ScrollContainer instead.
    Table: { defaultProps: { horizontalSpacing: 'md' }, styles: { th: { whiteSpace: 'nowrap' } } },
    // A segment's radio is a 0×0 box by default, which pointer-driven tools (voice control, test
    // runners) cannot hit. Stretched invisibly over its segment, the real radio takes the click.
    SegmentedControl: {
      styles: { input: { inset: 0, width: '100%', height: '100%', margin: 0, zIndex: 3, cursor: 'var(--mantine-cursor-type)' } },
    },
    // Mantine labels the eye button "Toggle password visibility", which makes getByLabel('Password')
    // (and assistive tech's label search) find two elements. Keep the word out of its label.
    PasswordInput: { defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Show or hide characters' } } },
    // The × of every dialog and drawer says what it does (Mantine leaves it unnamed).
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } },
    // Its description is gray 6 by default (3.3:1 on white): dimmed text reads as secondary and passes.
    Notification: {
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    },
  },
});

/** Text colours on the palest tint of their colour that reach 4.5:1 (shade 9 does for most; these need darker). */
const LIGHT_VARIANT_TEXT: Record<string, string> = { yellow: '#7c5300', orange: '#b43c0a', green: '#237032' };
const LIGHT_VARIANT_COLORS = ['blue', 'cyan', 'grape', 'gray', 'green', 'indigo', 'orange', 'red', 'teal', 'violet', 'yellow'];

/**
 * WCAG AA contrast (4.5:1) in the light scheme, checked by axe-core in the Chromium tests. Mantine's
 * dimmed text (gray 6 on white) is 3.3:1: gray 7 still reads as secondary. Light badges and alerts
 * get the palest tint behind text of the darkest shade.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Field errors (and the text of a field in error): red 6 is 3.3:1 on white.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(
      LIGHT_VARIANT_COLORS.flatMap((color) => [
        [`--mantine-color-${color}-light`, `var(--mantine-color-${color}-0)`],
        [`--mantine-color-${color}-light-hover`, `var(--mantine-color-${color}-1)`],
        [`--mantine-color-${color}-light-color`, LIGHT_VARIANT_TEXT[color] ?? `var(--mantine-color-${color}-9)`],
        // Subtle buttons and coloured text ("Revoke" in red) on white.
        [`--mantine-color-${color}-text`, LIGHT_VARIANT_TEXT[color] ?? `var(--mantine-color-${color}-9)`],
      ]),
    ),
  },
  // Mantine's dimmed text in the dark scheme (dark 2 on dark 6/7) is 3.5 to 4:1, its field errors
  // (red 8) 3.4:1; dark 1 and red 4 reach 6:1.
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)', '--mantine-color-error': 'var(--mantine-color-red-4)' },
});
