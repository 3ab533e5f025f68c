import PasswordlessSmsDelivery from 'supertokens-node/recipe/passwordless/smsdelivery';
import { DeliveryInbox } from './delivery-inbox.js';
import { smsServiceFor } from './provider-delivery.js';

describe('smsServiceFor', () => {
  it("builds supertokens-node's Twilio service with the configured credentials", () => {
    const twilio = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'token', from: '+15005550006' };
    const service = smsServiceFor({ twilio }, new DeliveryInbox());
    expect(service).toBeInstanceOf(PasswordlessSmsDelivery.TwilioService);
    expect(
      (service as unknown as { config: { twilioSettings: unknown } }).config.twilioSettings,
    ).toEqual(twilio);
  });

  it('records text messages in the inbox', async () => {
    const inbox = new DeliveryInbox();
    await smsServiceFor('inbox', inbox).sendSms({
      type: 'PASSWORDLESS_LOGIN',
      isFirstFactor: true,
      phoneNumber: '+16505550100',
      userInputCode: '123456',
      codeLifetime: 900000,
      preAuthSessionId: 'p',
      tenantId: 'public',
    });
    expect(inbox.last('+16505550100')).toMatchObject({
      channel: 'sms',
      code: '123456',
      kind: 'passwordless',
    });
  });
});
