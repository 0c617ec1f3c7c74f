import type { Random } from '../prng.ts';
import type { Row } from '../tsql.ts';
import type { ProductInfo } from './catalog.ts';
import type { CustomerInfo, EmployeeInfo } from './people.ts';
import { DAY, HISTORY_END, HISTORY_START, HOUR, isoDate, isoDateTime, randomInstant } from './dates.ts';

export interface OrderInfo {
  id: number;
  customerId: number;
  orderDate: number;
  status: string;
  totalCents: number;
  shippedAt: number | null;
  deliveredAt: number | null;
  /** Delivered after the promised date. */
  late: boolean;
  firstLine: number;
  lineCount: number;
}

/** Order lines as columns of typed arrays: 200 000 rows without 200 000 objects. */
export interface OrderLines {
  count: number;
  orderId: Int32Array;
  productId: Int32Array;
  quantity: Int16Array;
  unitCents: Int32Array;
  discount: Uint8Array;
}

function cumulative(weights: number[]): (random: Random) => number {
  const sums: number[] = [];
  let total = 0;
  for (const w of weights) sums.push((total += w));
  return (random) => {
    const roll = random.next() * total;
    let lo = 0;
    let hi = sums.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sums[mid] ?? 0) > roll) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/**
 * Orders and exactly `lineCount` order lines spread over them (more lines per order on average
 * when `lineCount` is large; at least one each when there are enough). Totals are the sums of
 * their lines, so reports reconcile.
 */
export function generateOrders(
  random: Random,
  orderCount: number,
  lineCount: number,
  customers: CustomerInfo[],
  products: ProductInfo[],
  salesReps: EmployeeInfo[],
): { orders: OrderInfo[]; lines: OrderLines; rows: Row[] } {
  const buyers = customers.filter((c) => !c.dormant);
  const pickBuyer = cumulative(buyers.map((c) => (c.business ? 4 : 1) * (0.3 + random.next() ** 2 * 3)));
  const pickProduct = cumulative(products.map((p) => (p.popularity * (p.discontinued ? 0.3 : 1)) / (p.priceCents / 100) ** 0.9));
  const weights = Array.from({ length: orderCount }, () => 0.05 - Math.log(1 - random.next() * 0.999));
  const weightTotal = weights.reduce((a, b) => a + b, 0);
  // Every order gets one line when there are enough (an order of nothing would have Total 0 and
  // break per-customer ratios); the rest are spread by weight.
  const base = lineCount >= orderCount ? 1 : 0;
  const spread = lineCount - base * orderCount;
  const lines: OrderLines = {
    count: lineCount,
    orderId: new Int32Array(lineCount),
    productId: new Int32Array(lineCount),
    quantity: new Int16Array(lineCount),
    unitCents: new Int32Array(lineCount),
    discount: new Uint8Array(lineCount),
  };
  const orders: OrderInfo[] = [];
  const rows: Row[] = [];
  const dates = Array.from({ length: orderCount }, () => randomInstant(random, HISTORY_START, HISTORY_END)).sort((a, b) => a - b);
  let cumulativeWeight = 0;
  let line = 0;
  for (let i = 0; i < orderCount; i++) {
    const id = i + 1;
    cumulativeWeight += weights[i] ?? 0;
    const end =
      i === orderCount - 1 ? lineCount : Math.min(lineCount, base * (i + 1) + Math.round((cumulativeWeight / weightTotal) * spread));
    const customer = buyers[pickBuyer(random)] ?? buyers[0];
    if (customer === undefined) throw new Error('no customers');
    const orderDate = Math.max(dates[i] ?? HISTORY_START, customer.createdAt + HOUR);
    const age = HISTORY_END - orderDate;
    const status =
      age < 4 * DAY
        ? random.weighted([
            ['Pending', 40],
            ['Processing', 35],
            ['Shipped', 20],
            ['Cancelled', 5],
          ] as const)
        : age < 14 * DAY
          ? random.weighted([
              ['Processing', 10],
              ['Shipped', 60],
              ['Delivered', 25],
              ['Cancelled', 5],
            ] as const)
          : random.weighted([
              ['Delivered', 74],
              ['Shipped', 9],
              ['Cancelled', 8],
              ['Returned', 6],
              ['Pending', 3],
            ] as const);
    const firstLine = line;
    let totalCents = 0;
    for (; line < end; line++) {
      const product = products[pickProduct(random)] ?? products[0];
      if (product === undefined) throw new Error('no products');
      const discount = random.weighted([
        [0, 70],
        [5, 10],
        [10, 10],
        [15, 5],
        [20, 4],
        [30, 1],
      ] as const);
      const listCents = Math.round(product.priceCents * (0.9 + random.next() * 0.12));
      const unitCents = Math.max(1, Math.round((listCents * (100 - discount)) / 100));
      const quantity =
        customer.business && random.chance(0.2)
          ? random.int(3, 24)
          : random.weighted([
              [1, 60],
              [2, 22],
              [3, 9],
              [4, 5],
              [6, 3],
              [12, 1],
            ] as const);
      lines.orderId[line] = id;
      lines.productId[line] = product.id;
      lines.quantity[line] = quantity;
      lines.unitCents[line] = unitCents;
      lines.discount[line] = discount;
      totalCents += unitCents * quantity;
    }
    const required = orderDate + random.int(3, 7) * DAY;
    const shippable = status === 'Shipped' || status === 'Delivered' || status === 'Returned';
    const late = shippable && random.chance(0.12);
    const shippedAt = shippable ? orderDate + (late ? random.int(3, 9) : random.int(0, 2)) * DAY + random.int(1, 8) * HOUR : null;
    const deliveredAt = shippedAt !== null && status !== 'Shipped' ? shippedAt + (late ? random.int(6, 15) : random.int(1, 3)) * DAY : null;
    const channel = random.weighted([
      ['Web', 55],
      ['App', 25],
      ['Phone', 8],
      ['Store', 12],
    ] as const);
    const rep = channel === 'Phone' || channel === 'Store' ? random.pick(salesReps).id : null;
    rows.push({
      OrderID: id,
      CustomerID: customer.id,
      SalesRepID: rep,
      OrderDate: isoDateTime(orderDate),
      RequiredDate: isoDate(required),
      ShippedDate: shippedAt === null ? null : isoDateTime(shippedAt),
      Status: status,
      Channel: channel,
      ShippingCost: totalCents >= 5000 ? 0 : 4.95,
      Total: totalCents / 100,
      Notes: random.chance(0.05)
        ? random.pick(['Leave with neighbour', 'Gift wrap please', 'Call before delivery', 'Invoice to company address', 'Fragile'])
        : null,
    });
    orders.push({
      id,
      customerId: customer.id,
      orderDate,
      status,
      totalCents,
      shippedAt,
      deliveredAt,
      late,
      firstLine,
      lineCount: line - firstLine,
    });
  }
  return { orders, lines, rows };
}

/** Order lines as rows, generated lazily from the typed arrays. */
export function* orderLineRows(lines: OrderLines): Generator<Row> {
  for (let i = 0; i < lines.count; i++) {
    yield {
      OrderLineID: i + 1,
      OrderID: lines.orderId[i] ?? 0,
      ProductID: lines.productId[i] ?? 0,
      Quantity: lines.quantity[i] ?? 0,
      UnitPrice: (lines.unitCents[i] ?? 0) / 100,
      DiscountPct: lines.discount[i] ?? 0,
    };
  }
}
