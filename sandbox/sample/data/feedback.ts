import type { Random } from '../prng.ts';
import type { Row } from '../tsql.ts';
import type { ProductInfo } from './catalog.ts';
import type { OrderInfo, OrderLines } from './orders.ts';
import type { CustomerInfo, EmployeeInfo } from './people.ts';
import { DAY, HISTORY_END, HISTORY_START, HOUR, isoDate, isoDateTime, randomInstant } from './dates.ts';
import { reviewBody, reviewTitle } from './review-text.ts';
import { TICKET_TOPICS, ticketBody, ticketSubject } from './ticket-text.ts';
import type { TicketTopic } from './ticket-text.ts';

/** Product reviews: ratings skewed positive, as in real shops, with prose matching the rating. */
export function generateReviews(random: Random, count: number, products: ProductInfo[], customers: CustomerInfo[]): Row[] {
  const rows: Row[] = [];
  for (let id = 1; id <= count; id++) {
    const product = random.pick(products);
    const customer = random.pick(customers);
    const rating = random.weighted([
      [5, 38],
      [4, 26],
      [3, 12],
      [2, 10],
      [1, 14],
    ] as const);
    const context = { product: product.name, item: product.item, category: product.category, rating };
    rows.push({
      ReviewID: id,
      ProductID: product.id,
      CustomerID: customer.id,
      Rating: rating,
      Title: reviewTitle(context, random),
      Body: reviewBody(context, random),
      CreatedAt: isoDateTime(randomInstant(random, Math.max(HISTORY_START, customer.createdAt), HISTORY_END)),
      HelpfulVotes: random.chance(0.6) ? 0 : Math.floor(random.next() ** 3 * 120),
      VerifiedPurchase: random.chance(0.8),
    });
  }
  return rows;
}

export interface TicketSources {
  customers: CustomerInfo[];
  orders: OrderInfo[];
  lines: OrderLines;
  products: ProductInfo[];
  agents: EmployeeInfo[];
  doubleCharged: OrderInfo[];
  approvers: EmployeeInfo[];
}

const REFUND_REASONS: Record<string, string> = {
  'not-received': 'Parcel lost in transit',
  damaged: 'Item damaged on arrival',
  'missing-parts': 'Partial refund for missing parts',
  'double-charge': 'Duplicate payment refunded',
  'refund-status': 'Return received',
  'return-request': 'Return received',
  defect: 'Faulty item under warranty',
  recall: 'Product recall',
};

function pickOrder(random: Random, topic: TicketTopic, s: TicketSources): OrderInfo | null {
  if (!topic.needsOrder && random.chance(0.7)) return null;
  if (topic.key === 'double-charge' && s.doubleCharged.length > 0 && random.chance(0.8)) return random.pick(s.doubleCharged);
  for (let attempt = 0; attempt < 20; attempt++) {
    const order = random.pick(s.orders);
    if (order.lineCount === 0) continue;
    if (topic.key === 'late' && !order.late && attempt < 15) continue;
    if (topic.category !== 'Billing' && order.status === 'Cancelled') continue;
    return order;
  }
  return random.pick(s.orders);
}

/**
 * Support tickets about real orders (late ones for delivery complaints, double-charged ones for
 * billing), and the refunds that resolved some of them or the returned orders.
 */
export function generateTickets(random: Random, count: number, s: TicketSources): { tickets: Row[]; refunds: Row[] } {
  const tickets: Row[] = [];
  const refunds: Row[] = [];
  const topics = TICKET_TOPICS.filter((t) => t.key !== 'recall').map((t) => [t, t.weight] as const);
  const recall = TICKET_TOPICS.find((t) => t.key === 'recall');
  const recallIds = new Set(Array.from({ length: Math.min(5, count) }, (_, k) => Math.floor(((k + 0.5) * count) / 5) + 1));
  const addRefund = (order: OrderInfo, ticketId: number | null, cents: number, reason: string, at: number) => {
    refunds.push({
      RefundID: refunds.length + 1,
      OrderID: order.id,
      TicketID: ticketId,
      Amount: cents / 100,
      Reason: reason,
      RefundedAt: isoDateTime(at),
      ApprovedByID: random.pick(s.approvers).id,
    });
  };
  for (let id = 1; id <= count; id++) {
    const topic = recallIds.has(id) && recall !== undefined ? recall : random.weighted(topics);
    const order = pickOrder(random, topic, s);
    const customer = order === null ? random.pick(s.customers) : (s.customers[order.customerId - 1] ?? random.pick(s.customers));
    const productId = order === null ? null : s.lines.productId[order.firstLine + random.int(0, Math.max(0, order.lineCount - 1))];
    const product = productId === undefined || productId === null ? null : s.products[productId - 1];
    const base = order === null ? Math.max(customer.createdAt, HISTORY_START) : order.orderDate;
    const opened = Math.min(HISTORY_END, base + random.int(1, 20) * DAY + random.int(0, 10) * HOUR);
    const age = HISTORY_END - opened;
    const status =
      age < 3 * DAY
        ? random.weighted([
            ['Open', 60],
            ['Pending', 40],
          ] as const)
        : age < 20 * DAY
          ? random.weighted([
              ['Open', 15],
              ['Pending', 25],
              ['Resolved', 40],
              ['Closed', 20],
            ] as const)
          : random.weighted([
              ['Closed', 85],
              ['Resolved', 12],
              ['Open', 2],
              ['Pending', 1],
            ] as const);
    const closed = status === 'Closed' || status === 'Resolved' ? opened + random.int(1, 240) * HOUR + random.int(0, 59) * 60_000 : null;
    const context = {
      firstName: customer.business ? random.pick(['Claire', 'Tomasz', 'Ines', 'Marc', 'Helga', 'Oscar']) : customer.firstName,
      orderId: order?.id ?? null,
      orderDate: order === null ? null : isoDate(order.orderDate),
      product: product?.name ?? null,
      category: product?.category ?? null,
      amount: order === null ? null : `EUR ${(order.totalCents / 100).toFixed(2)}`,
      days: random.int(5, 21),
    };
    const priority = random.chance(topic.urgent)
      ? random.pick(['High', 'Urgent'])
      : random.weighted([
          ['Low', 30],
          ['Normal', 60],
          ['High', 10],
        ] as const);
    const urgent = priority === 'Urgent' || priority === 'High';
    tickets.push({
      TicketID: id,
      CustomerID: customer.id,
      OrderID: order?.id ?? null,
      AssignedToID: status === 'Open' && random.chance(0.5) ? null : random.pick(s.agents).id,
      Subject: ticketSubject(topic, context, random, urgent),
      Body: ticketBody(topic, context, random),
      Category: topic.category,
      Priority: priority,
      Status: status,
      Channel: random.weighted([
        ['Email', 45],
        ['Web', 25],
        ['Chat', 20],
        ['Phone', 10],
      ] as const),
      OpenedAt: isoDateTime(opened),
      ClosedAt: closed === null ? null : isoDateTime(closed),
      SatisfactionScore:
        closed !== null && random.chance(0.4)
          ? random.weighted([
              [1, 12],
              [2, 8],
              [3, 15],
              [4, 30],
              [5, 35],
            ] as const)
          : null,
    });
    if (order !== null && closed !== null && topic.refundable && random.chance(0.7)) {
      const full = topic.key === 'not-received' || topic.key === 'refund-status';
      const cents =
        topic.key === 'double-charge'
          ? order.totalCents
          : full
            ? order.totalCents
            : Math.max(100, Math.round(order.totalCents * (0.1 + random.next() * 0.5)));
      addRefund(order, id, cents, REFUND_REASONS[topic.key] ?? 'Goodwill refund', closed);
    }
  }
  for (const order of s.orders) {
    if (order.status === 'Returned' && order.deliveredAt !== null && random.chance(0.6)) {
      addRefund(order, null, order.totalCents, 'Returned within 30 days', order.deliveredAt + random.int(5, 20) * DAY);
    }
  }
  return { tickets, refunds };
}
