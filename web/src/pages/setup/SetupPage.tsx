import { Alert, Button, Code, Skeleton, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { hasLength, isEmail, useForm } from '@mantine/form';
import { IconAlertTriangle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, errorMessage, isApiError } from '../../api';
import type { SetupCheckResponse, SetupResponse } from '@allot/contract';
import { AuthCard } from '../../components/AuthCard';
import { FormError } from '../../components/FormError';
import { applyServerError } from '../../lib/form-errors';
import { pathWithQuery } from '../../lib/redirect';

type SetupState =
  | { step: 'checking' }
  | { step: 'check-failed'; message: string }
  | { step: 'invalid-link' }
  | { step: 'already-set-up' }
  | { step: 'form' }
  | { step: 'done'; result: SetupResponse };

type SetupValues = { organizationName: string; adminEmail: string };

export default function SetupPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [state, setState] = useState<SetupState>(token ? { step: 'checking' } : { step: 'invalid-link' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    setState({ step: 'checking' });
    api<SetupCheckResponse>('/setup/check', { body: { token }, signal: controller.signal }).then(
      (check) => {
        if (check.valid && check.setupRequired) setState({ step: 'form' });
        else if (!check.setupRequired) setState({ step: 'already-set-up' });
        else setState({ step: 'invalid-link' });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (isApiError(error) && error.code === 'SETUP_TOKEN_INVALID') setState({ step: 'invalid-link' });
        else if (isApiError(error) && error.code === 'SETUP_ALREADY_DONE') setState({ step: 'already-set-up' });
        else setState({ step: 'check-failed', message: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [token, attempt]);

  switch (state.step) {
    case 'checking':
      return (
        <AuthCard title="Set up Allot" description="Checking your setup link…">
          <Stack gap="md" aria-busy>
            <Skeleton height={56} />
            <Skeleton height={56} />
            <Skeleton height={42} />
          </Stack>
        </AuthCard>
      );
    case 'check-failed':
      return (
        <AuthCard title="Set up Allot">
          <FormError title="Could not check the setup link">{state.message}</FormError>
          <Button onClick={() => setAttempt((count) => count + 1)}>Try again</Button>
        </AuthCard>
      );
    case 'invalid-link':
      return <InvalidSetupLink />;
    case 'already-set-up':
      return <AlreadySetUp />;
    case 'form':
      return (
        <SetupForm
          token={token}
          onDone={(result) => setState({ step: 'done', result })}
          onTokenRejected={(alreadyDone) => setState({ step: alreadyDone ? 'already-set-up' : 'invalid-link' })}
        />
      );
    case 'done':
      return <SetupDone result={state.result} />;
  }
}

function InvalidSetupLink() {
  return (
    <AuthCard title="Set up Allot">
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="This setup link is invalid or has already been used">
        <Stack gap="xs">
          <Text size="sm">
            Setup links work once. The operator can print a new one by restarting the server, or by running <Code>npx allot setup</Code> on the server.
          </Text>
        </Stack>
      </Alert>
      <Button component={Link} to="/sign-in" variant="default">
        Go to sign in
      </Button>
    </AuthCard>
  );
}

function AlreadySetUp() {
  return (
    <AuthCard title="Allot is already set up">
      <Alert color="indigo" variant="light" icon={<IconInfoCircle size={18} />}>
        This instance already has an organization, so first-run setup is closed. Sign in to continue.
      </Alert>
      <Button component={Link} to="/sign-in">
        Sign in
      </Button>
    </AuthCard>
  );
}

type SetupFormProps = {
  token: string;
  onDone: (result: SetupResponse) => void;
  onTokenRejected: (alreadyDone: boolean) => void;
};

function SetupForm({ token, onDone, onTokenRejected }: SetupFormProps) {
  const [error, setError] = useState<string | null>(null);
  const form = useForm<SetupValues>({
    initialValues: { organizationName: '', adminEmail: '' },
    validate: {
      organizationName: hasLength({ min: 1, max: 200 }, 'Enter the name of your organization.'),
      adminEmail: isEmail('Enter a valid email address.'),
    },
  });

  async function createOrganization(values: SetupValues) {
    setError(null);
    try {
      const result = await api<SetupResponse>('/setup', {
        body: { token, organizationName: values.organizationName.trim(), adminEmail: values.adminEmail.trim() },
      });
      onDone(result);
    } catch (caught) {
      if (isApiError(caught) && caught.code === 'SETUP_TOKEN_INVALID') onTokenRejected(false);
      else if (isApiError(caught) && caught.code === 'SETUP_ALREADY_DONE') onTokenRejected(true);
      else setError(applyServerError(form, caught));
    }
  }

  return (
    <AuthCard title="Set up Allot" description="Create the first organization. Its administrator also becomes the operator of this instance.">
      <form onSubmit={form.onSubmit(createOrganization)} noValidate>
        <Stack gap="md">
          <TextInput
            label="Organization name"
            description="Your company or team, as people will see it."
            placeholder="Acme Inc."
            autoComplete="organization"
            autoFocus
            {...form.getInputProps('organizationName')}
          />
          <TextInput
            label="Admin email"
            description="This person administers the organization and the instance."
            type="email"
            placeholder="admin@example.com"
            autoComplete="email"
            {...form.getInputProps('adminEmail')}
          />
          <FormError>{error}</FormError>
          <Button type="submit" fullWidth size="md" loading={form.submitting}>
            Create organization
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

function SetupDone({ result }: { result: SetupResponse }) {
  return (
    <AuthCard title="You are all set">
      <Stack gap="md">
        <ThemeIcon size={52} radius="xl" color="teal" variant="light" aria-hidden>
          <IconCircleCheck size={30} />
        </ThemeIcon>
        <Text>
          Organization <strong>{result.organization.name}</strong> created. <strong>{result.adminEmail}</strong> will be its administrator and the instance
          operator.
        </Text>
        {result.adminAccountExists ? (
          <>
            <Text size="sm" c="dimmed">
              An account for this address already exists: sign in with it to start.
            </Text>
            <Button component={Link} to={pathWithQuery('/sign-in', { email: result.adminEmail })} fullWidth size="md">
              Sign in
            </Button>
          </>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              Next, create the account for this address. The role is granted once its email is verified.
            </Text>
            <Button component={Link} to={pathWithQuery('/sign-up', { email: result.adminEmail })} fullWidth size="md">
              Create the admin account
            </Button>
          </>
        )}
      </Stack>
    </AuthCard>
  );
}
