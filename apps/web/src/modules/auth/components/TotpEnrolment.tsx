import { Code, Image, Loader, Stack, Text } from '@mantine/core';
import type { TotpProvisioning } from '@haven/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The authenticator enrolment: a QR code of the otpauth:// URI (drawn here, as a data: image:
 * nothing leaves the page) and the secret for typing in by hand. `qrcode` is loaded only on
 * the pages that enrol, not with the sign-in page.
 */
export function TotpEnrolment({ totp }: { totp: TotpProvisioning }) {
  const { t } = useTranslation();
  const [image, setImage] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    void import('qrcode')
      .then((qr) => qr.toDataURL(totp.uri, { errorCorrectionLevel: 'M', margin: 2, width: 232 }))
      .then((url) => {
        if (!cancelled) setImage(url);
      });
    return () => {
      cancelled = true;
    };
  }, [totp.uri]);

  const grouped = totp.secret.match(/.{1,4}/g)?.join(' ') ?? totp.secret;
  return (
    <Stack gap="xs">
      <Text>{t('enrol.totpIntro')}</Text>
      {image ? (
        <Image src={image} alt={t('enrol.totpQrAlt')} w={232} h={232} />
      ) : (
        <Loader aria-label={t('enrol.totpQrAlt')} />
      )}
      <Text size="sm">{t('enrol.totpManual')}</Text>
      <Code data-testid="totp-secret" fz="md">
        {grouped}
      </Code>
    </Stack>
  );
}
