import { Box, PasswordInput, Progress, Text, type PasswordInputProps } from '@mantine/core';

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

type Strength = { score: number; label: string; color: string };

/** A rough estimate: length matters most, character variety helps. Only the length is enforced. */
export function estimatePasswordStrength(password: string): Strength {
  if (!password) return { score: 0, label: '', color: 'gray' };
  let score = 0;
  if (password.length >= MIN_PASSWORD_LENGTH) score += 1;
  if (password.length >= 12) score += 1;
  if (password.length >= 16) score += 1;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(password)).length;
  if (kinds >= 3) score += 1;
  if (password.length < MIN_PASSWORD_LENGTH) score = 0;
  const levels: Strength[] = [
    { score: 0, label: 'Too short', color: 'red' },
    { score: 1, label: 'Weak', color: 'orange' },
    { score: 2, label: 'Fair', color: 'yellow' },
    { score: 3, label: 'Good', color: 'teal' },
    { score: 4, label: 'Strong', color: 'green' },
  ];
  return levels[Math.min(score, 4)] ?? { score: 0, label: '', color: 'gray' };
}

export function validateNewPassword(value: string): string | null {
  if (value.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (value.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  return null;
}

type PasswordStrengthInputProps = Omit<PasswordInputProps, 'value'> & { value: string };

/** A new-password field with a strength meter underneath. */
export function PasswordStrengthInput({ value, ...props }: PasswordStrengthInputProps) {
  const strength = estimatePasswordStrength(value);
  return (
    <Box>
      <PasswordInput
        autoComplete="new-password"
        description={`At least ${MIN_PASSWORD_LENGTH} characters. A long passphrase is the strongest choice.`}
        maxLength={MAX_PASSWORD_LENGTH}
        value={value}
        {...props}
      />
      <Box mt={8} aria-live="polite">
        <Progress value={value ? Math.max(8, strength.score * 25) : 0} color={strength.color} size={5} radius="xl" transitionDuration={200} aria-hidden />
        <Text size="xs" c="dimmed" mt={6} mih={18}>
          {value ? (
            <>
              Strength:{' '}
              <Text span size="xs" fw={600} c={strength.color}>
                {strength.label}
              </Text>
              {strength.score > 0 && strength.score < 3 ? ' — longer is better; mix in numbers or symbols.' : null}
            </>
          ) : null}
        </Text>
      </Box>
    </Box>
  );
}
