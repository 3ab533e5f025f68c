import type { INestApplicationContext } from '@nestjs/common';
import { DeliveryInbox } from '../auth/delivery/delivery-inbox.js';

/**
 * The emails (and later SMS) the app sent with the `inbox` delivery.
 * @example testInbox(app).last('ann@example.com', 'password-reset')?.link
 */
export function testInbox(app: INestApplicationContext): DeliveryInbox {
  return app.get(DeliveryInbox);
}
