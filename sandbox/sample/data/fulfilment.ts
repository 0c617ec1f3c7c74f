import type { Random } from '../prng.ts';
import type { Row } from '../tsql.ts';
import type { CustomerInfo } from './people.ts';
import type { OrderInfo } from './orders.ts';
import { HOUR, guid, isoDateTime, isoDateTimeOffset } from './dates.ts';

const METHODS = [
  ['Card', 62],
  ['PayPal', 20],
  ['BankTransfer', 6],
  ['GiftCard', 4],
  ['Invoice', 8],
] as const;

/**
 * Payments: one capture per paid order, occasional failed attempts before it, and a few
 * duplicate captures (the "charged twice" the support tickets complain about).
 */
export function generatePayments(
  random: Random,
  orders: OrderInfo[],
  customers: CustomerInfo[],
): { rows: Row[]; doubleCharged: OrderInfo[] } {
  const rows: Row[] = [];
  const doubleCharged: OrderInfo[] = [];
  const push = (order: OrderInfo, at: number, succeeded: boolean, method: string) => {
    const customer = customers[order.customerId - 1];
    rows.push({
      PaymentID: rows.length + 1,
      OrderID: order.id,
      Amount: order.totalCents / 100,
      Method: method,
      ProcessedAt: isoDateTimeOffset(at, customer?.offset ?? 60),
      TransactionRef: guid(random),
      Succeeded: succeeded,
    });
  };
  for (const order of orders) {
    if (order.totalCents === 0 || (order.status === 'Cancelled' && random.chance(0.5))) continue;
    const method = random.weighted(METHODS);
    let at = order.orderDate + random.int(1, 600) * 1000;
    if (random.chance(0.03)) {
      push(order, at, false, method);
      at += random.int(2, 30) * 60_000;
    }
    push(order, at, true, method);
    if (random.chance(0.004) || (doubleCharged.length < 3 && order.id % 997 === 0)) {
      push(order, at + random.int(1, 40) * 1000, true, method);
      doubleCharged.push(order);
    }
  }
  return { rows, doubleCharged };
}

const CARRIERS = ['DPD', 'DHL', 'GLS', 'Colissimo', 'UPS', 'PostNL', 'Royal Mail', 'Correos', 'InPost'];
const DROPS = [
  'Front door',
  'Handed to customer',
  'Neighbour at number 12',
  'Reception desk',
  'Parcel locker',
  'Post office counter',
  'Garage',
  'Back porch',
  'Building concierge',
  'Safe place: shed',
  'Pickup point in local shop',
  'Mailroom',
];

/** One delivery per order that left the warehouse; late orders have late or repeated attempts. */
export function generateDeliveries(random: Random, orders: OrderInfo[]): Row[] {
  const rows: Row[] = [];
  for (const order of orders) {
    if (order.shippedAt === null) continue;
    const carrier = random.pick(CARRIERS);
    rows.push({
      DeliveryID: rows.length + 1,
      OrderID: order.id,
      Carrier: carrier,
      TrackingNumber: `${carrier.slice(0, 2).toUpperCase()}${String(order.id * 7919 + random.int(0, 9999)).padStart(12, '0')}`,
      'Insert Date': isoDateTime(order.shippedAt + random.int(5, 90) * 60_000),
      Drop: random.pick(DROPS),
      DeliveredAt: order.deliveredAt === null ? null : isoDateTime(order.deliveredAt + random.int(0, 10) * HOUR),
      AttemptCount: order.late ? random.int(1, 3) : 1,
    });
  }
  return rows;
}
