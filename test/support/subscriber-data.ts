import { SubscriberData } from '@vigil/alerts';
import { testConfig } from './test-config';

/**
 * Addresses are sealed at rest and found by their blind index: tests that look a subscription up in the
 * database go through these, under the test configuration's SECRETS_KEY.
 */
const data = new SubscriberData(testConfig({ databaseUrl: 'unused' }));

export const addressIndexOf = (email: string): Buffer => data.addressIndex(email);

export const openedAddress = (subscriptionId: string, emailBox: string): string =>
  data.openAddress(subscriptionId, emailBox);

export const sealedAddress = (subscriptionId: string, email: string): string => data.sealAddress(subscriptionId, email);

export const sealedLabel = (subscriptionId: string, label: string): string => data.sealLabel(subscriptionId, label);
