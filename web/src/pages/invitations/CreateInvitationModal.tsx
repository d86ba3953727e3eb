import { Alert, Button, Group, Input, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconPackageOff } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { api, errorMessage, isApiError } from '../../api';
import type { Invitation, TeamProduct, Team } from '@allot/contract';
import { DateField } from '../../components/DateField';
import { FormError } from '../../components/FormError';
import { SearchableSelect } from '../../components/SearchableSelect';
import { formatDateTime, formatNumber } from '../../lib/format';
import { ACTIVE_FOR_OPTIONS, DEFAULT_ACTIVE_FOR, expiryFor, parseMaxClaims, validateMaxClaims, type ActiveFor } from '../../lib/invitations';

type CreateInvitationModalProps = { opened: boolean; onClose: () => void; team: Team };

type CreateValues = {
  productId: string | null;
  name: string;
  activeFor: ActiveFor;
  customDate: string | null;
  allowedDomains: string;
  maxClaims: number | string;
};

export const DOMAINS_PLACEHOLDER = 'acme.com, *.acme.de';
export const DOMAINS_DESCRIPTION = 'Only people whose verified email is at these domains can claim. *.acme.com also matches subdomains.';

function blankValues(products: TeamProduct[]): CreateValues {
  return {
    productId: products.length === 1 ? (products[0]?.productId ?? null) : null,
    name: '',
    activeFor: DEFAULT_ACTIVE_FOR,
    customDate: null,
    allowedDomains: '',
    maxClaims: '',
  };
}

/** "Product — 7 free", so admins see which pool the link draws from. */
function productLabel(product: TeamProduct): string {
  return `${product.productName} — ${formatNumber(product.free)} free`;
}

/** Create Invitation: one product of the team, for how long, for whom and how many times. */
export function CreateInvitationModal({ opened, onClose, team }: CreateInvitationModalProps) {
  const navigate = useNavigate();
  const narrow = useMediaQuery('(max-width: 40em)');
  const activeForLabelId = useId();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<CreateValues>({
    initialValues: blankValues(team.products),
    validate: {
      productId: isNotEmpty('Choose the product people can claim.'),
      name: (value) => (value.trim().length > 200 ? 'Use at most 200 characters.' : null),
      customDate: (value, values) => {
        if (values.activeFor !== 'custom') return null;
        if (!value) return 'Choose the last day the link works.';
        return dayjs(value).isBefore(dayjs(), 'day') ? 'Choose today or a later day.' : null;
      },
      maxClaims: validateMaxClaims,
    },
  });

  useEffect(() => {
    if (!opened) return;
    form.setValues(blankValues(team.products));
    form.clearErrors();
    setError(null);
  }, [opened]);

  function close() {
    if (!form.submitting) onClose();
  }

  async function createInvitation(values: CreateValues) {
    setError(null);
    const name = values.name.trim();
    const domains = values.allowedDomains.trim();
    const maxClaims = parseMaxClaims(values.maxClaims);
    try {
      const invitation = await api<Invitation>(`/teams/${team.id}/invitations`, {
        method: 'POST',
        body: {
          productId: values.productId,
          expiresAt: expiryFor(values.activeFor, values.customDate),
          ...(name ? { name } : {}),
          ...(domains ? { allowedDomains: domains } : {}),
          ...(maxClaims !== null ? { maxClaims } : {}),
        },
      });
      onClose();
      // The invitation page confirms it beside the link (a toast would cover its actions).
      void navigate(`/invitations/${invitation.id}`, { state: { created: true } });
    } catch (caught) {
      if (isApiError(caught) && Object.keys(caught.fields).length > 0) {
        // Field messages go under their inputs; only what no input shows goes above the buttons.
        const { expiresAt, ...fields } = caught.fields;
        if (expiresAt && values.activeFor === 'custom') fields.customDate = expiresAt;
        form.setErrors(fields);
        const unshown = Object.keys(fields).some((field) => !(field in values));
        setError(expiresAt && values.activeFor !== 'custom' ? expiresAt : unshown ? errorMessage(caught) : null);
      } else {
        setError(errorMessage(caught));
      }
    }
  }

  const products = team.products;
  const expiry = expiryFor(form.values.activeFor, form.values.customDate);

  return (
    <Modal opened={opened} onClose={close} title="Create Invitation" size="lg" centered>
      <form onSubmit={form.onSubmit(createInvitation)} noValidate>
        <Stack gap="md">
          {products.length === 0 ? (
            <Alert color="yellow" variant="light" icon={<IconPackageOff size={18} />}>
              {team.name} has no licenses yet. Invitations hand out the team’s licenses, so add an order for this team first.
            </Alert>
          ) : null}
          <SearchableSelect
            label="Product"
            description="Each person who claims gets one license of it from this team."
            placeholder={products.length === 0 ? 'No licenses in this team' : 'Choose a product'}
            data={products.map((product) => ({ value: product.productId, label: productLabel(product) }))}
            nothingFoundMessage="This team has no licenses of such a product"
            disabled={products.length === 0}
            data-autofocus
            {...form.getInputProps('productId')}
          />
          <TextInput
            label="Name"
            description="For future reference, e.g. “Spring interns”. People who open the link see it too."
            placeholder="Optional"
            maxLength={200}
            {...form.getInputProps('name')}
          />
          <Input.Wrapper
            label="Active for"
            labelElement="div"
            labelProps={{ id: activeForLabelId }}
            description={
              expiry
                ? `The link stops working on ${formatDateTime(expiry)}.`
                : form.values.activeFor === 'never'
                  ? 'The link works until you disable or delete it.'
                  : undefined
            }
            inputWrapperOrder={['label', 'input', 'description']}
          >
            <SegmentedControl
              aria-labelledby={activeForLabelId}
              data={ACTIVE_FOR_OPTIONS.map(({ value, label }) => ({ value, label }))}
              orientation={narrow ? 'vertical' : 'horizontal'}
              fullWidth
              mt={4}
              mb={6}
              value={form.values.activeFor}
              onChange={(value) => form.setFieldValue('activeFor', value as ActiveFor)}
            />
          </Input.Wrapper>
          {form.values.activeFor === 'custom' ? (
            <DateField
              label="Active until"
              description="The link works until the end of this day."
              minDate={dayjs().format('YYYY-MM-DD')}
              maw={260}
              {...form.getInputProps('customDate')}
            />
          ) : null}
          <TextInput
            label="Allowed email domains"
            description={DOMAINS_DESCRIPTION}
            placeholder={DOMAINS_PLACEHOLDER}
            autoCapitalize="off"
            spellCheck={false}
            {...form.getInputProps('allowedDomains')}
          />
          <NumberInput
            label="Maximum claims"
            description="Optional. The link stops working after this many people have claimed."
            placeholder="No limit"
            min={1}
            max={100000}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=","
            styles={{ wrapper: { maxWidth: 200 } }}
            {...form.getInputProps('maxClaims')}
          />
          <FormError>{error}</FormError>
          <Group justify="space-between" gap="sm">
            <Text size="xs" c="dimmed" maw={300}>
              You can edit, disable or regenerate the link later.
            </Text>
            <Group gap="sm">
              <Button variant="default" onClick={close} disabled={form.submitting}>
                Cancel
              </Button>
              <Button type="submit" loading={form.submitting} disabled={products.length === 0}>
                Create
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
