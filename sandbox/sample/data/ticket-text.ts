import type { Random } from '../prng.ts';

/** What a ticket's text may refer to. */
export interface TicketContext {
  firstName: string;
  orderId: number | null;
  orderDate: string | null;
  product: string | null;
  amount: string | null;
  days: number;
}

/** A topic: triage category, priority weights, whether it usually ends in a refund, and its texts. */
export interface TicketTopic {
  key: string;
  category: 'Delivery' | 'Billing' | 'Returns' | 'Product' | 'Account' | 'Technical';
  weight: number;
  /** Needs an order to talk about. */
  needsOrder: boolean;
  refundable: boolean;
  urgent: number;
  subjects: ((c: TicketContext) => string)[];
  bodies: ((c: TicketContext, r: Random) => string)[];
}

const order = (c: TicketContext): string => (c.orderId === null ? 'my last order' : `order ${c.orderId}`);
const item = (c: TicketContext): string => c.product ?? 'the item';

/** The ticket topics; `recall` is deliberately rare so search tests have a needle to find. */
export const TICKET_TOPICS: readonly TicketTopic[] = [
  {
    key: 'late', category: 'Delivery', weight: 16, needsOrder: true, refundable: false, urgent: 0.15,
    subjects: [(c) => `Where is ${order(c)}?`, (c) => `Late delivery - ${order(c)}`, () => 'Parcel still not delivered', (c) => `Order ${c.orderId ?? ''} not arrived yet`.trim(), () => 'Delivery delayed again'],
    bodies: [
      (c) => `I placed ${order(c)} on ${c.orderDate ?? 'the website'} and was promised delivery within a week. It has now been ${c.days} days and the tracking page has not changed. Can you tell me where my parcel is?`,
      (c) => `My delivery is late. The ${item(c)} was supposed to arrive last ${c.days % 2 === 0 ? 'Friday' : 'Monday'} and I took a day off work to wait for it. Nobody came and there is no card in the letterbox.`,
      (c) => `Tracking says "in transit" for ${c.days} days now. This was a birthday present and the birthday has passed. Please chase the carrier or send a replacement.`,
      (c) => `Second time a delivery from you is late. ${order(c)} still has not arrived, and the carrier's hotline just tells me to contact the sender.`,
    ],
  },
  {
    key: 'not-received', category: 'Delivery', weight: 6, needsOrder: true, refundable: true, urgent: 0.3,
    subjects: [() => 'Marked as delivered but not received', (c) => `${order(c)} - never arrived`, () => 'Parcel stolen?'],
    bodies: [
      (c) => `The tracking for ${order(c)} says delivered and left at the front door, but there was nothing there. I checked with my neighbours. Please investigate or refund me.`,
      (c) => `According to the carrier the parcel was handed over at ${c.days % 3 === 0 ? '7:14' : '15:40'}, yet I was at home all day and nobody rang. I did not receive ${item(c)}.`,
    ],
  },
  {
    key: 'damaged', category: 'Product', weight: 14, needsOrder: true, refundable: true, urgent: 0.2,
    subjects: [(c) => `${order(c)} arrived damaged`, () => 'Damaged item received', (c) => `Broken ${item(c)}`, () => 'Item broken in transit - photos attached'],
    bodies: [
      (c) => `The ${item(c)} from ${order(c)} arrived damaged. The box was crushed on one corner and the item inside is cracked. I have attached photos. I would like a replacement or a refund.`,
      (c) => `When I unpacked ${item(c)} today I found it scratched and dented, clearly damaged in transit. The outer packaging had been taped back together.`,
      (c) => `Received ${order(c)} yesterday. Unfortunately the glass part is shattered. Please tell me how to return it; I do not want to pay for return shipping for a damaged item.`,
    ],
  },
  {
    key: 'missing-parts', category: 'Product', weight: 6, needsOrder: true, refundable: true, urgent: 0.1,
    subjects: [() => 'Missing parts', (c) => `Parts missing from ${order(c)}`, () => 'Incomplete package - screws not included'],
    bodies: [
      (c) => `The ${item(c)} came without the fixing screws and the instruction leaflet, so I cannot assemble it. Can you send the missing parts?`,
      (c) => `Opened ${order(c)} and one of the two boxes is missing. The delivery note lists 2 packages, I received 1.`,
    ],
  },
  {
    key: 'double-charge', category: 'Billing', weight: 5, needsOrder: true, refundable: true, urgent: 0.45,
    subjects: [() => 'Charged twice', (c) => `Double charge on ${order(c)}`, () => 'I was billed twice for one order', () => 'Duplicate payment taken from my card'],
    bodies: [
      (c) => `I was charged twice for ${order(c)}: my bank statement shows two payments of ${c.amount ?? 'the same amount'} a few seconds apart. Please refund the duplicate payment.`,
      (c) => `Hello, your payment page showed an error so I clicked pay again, and now I have been charged twice. Amount ${c.amount ?? 'unknown'}. I only received one confirmation e-mail.`,
      (c) => `There is a double charge on my credit card for ${order(c)}. This is the second time this has happened, please fix your checkout.`,
    ],
  },
  {
    key: 'wrong-invoice', category: 'Billing', weight: 6, needsOrder: true, refundable: false, urgent: 0.1,
    subjects: [() => 'Wrong invoice', (c) => `Invoice for ${order(c)} is incorrect`, () => 'VAT number missing on invoice', () => 'Need corrected invoice'],
    bodies: [
      (c) => `The invoice for ${order(c)} has the wrong company name and our VAT number is missing. Our accountant cannot book it. Please send a corrected invoice.`,
      (c) => `The invoice shows ${c.amount ?? 'a higher amount'} but the discount code was accepted at checkout, so the wrong price was billed. I was overcharged.`,
      () => 'I need a copy of the invoice addressed to my employer instead of to me personally. Is that possible after the order was shipped?',
    ],
  },
  {
    key: 'refund-status', category: 'Returns', weight: 10, needsOrder: true, refundable: true, urgent: 0.2,
    subjects: [() => 'Refund not received', (c) => `Refund for ${order(c)}?`, () => 'Still waiting for my refund', () => 'When will I get my money back?'],
    bodies: [
      (c) => `I returned ${item(c)} ${c.days} days ago and the tracking shows you received it, but I have not had my refund yet. Your website says refunds take 5 working days.`,
      (c) => `You confirmed the return for ${order(c)} but the refund of ${c.amount ?? 'my money'} has not reached my account. Please check what went wrong.`,
      () => 'This is my third e-mail about my refund. I am starting to think I will never see that money again. Please escalate.',
    ],
  },
  {
    key: 'return-request', category: 'Returns', weight: 8, needsOrder: true, refundable: true, urgent: 0.05,
    subjects: [() => 'Return label please', () => 'Exchange for a different size', (c) => `Return ${item(c)}`],
    bodies: [
      (c) => `The ${item(c)} is too small, sizing runs small compared with the size chart. Can I exchange it for one size up?`,
      (c) => `I would like to return ${order(c)}, it is not what I expected. Could you send me a return label?`,
      () => 'The size is wrong: I ordered a medium but the label says large. Please exchange it.',
    ],
  },
  {
    key: 'defect', category: 'Product', weight: 8, needsOrder: true, refundable: true, urgent: 0.15,
    subjects: [() => 'Warranty claim', (c) => `${item(c)} stopped working`, () => 'Product faulty after a few weeks', () => 'Defective product'],
    bodies: [
      (c) => `My ${item(c)} stopped working after ${c.days} days of normal use. It is still under warranty. What do I need to send you for a warranty repair or replacement?`,
      (c) => `The quality is disappointing: the ${item(c)} fell apart at the seams after a few washes/uses. I expected it to last longer at this price.`,
    ],
  },
  {
    key: 'recall', category: 'Product', weight: 0.25, needsOrder: false, refundable: true, urgent: 0.9,
    subjects: [() => 'Recall notice for Brisa Pedestal Fan 40cm?', () => 'Is my pedestal fan part of the recall?', () => 'Safety recall BF-0413'],
    bodies: [
      () => 'I read that the Brisa Pedestal Fan 40cm from batch BF-0413 is being recalled because the motor housing can overheat. Mine gets very hot after an hour and smells of burning plastic. How do I return it under the recall?',
      () => 'Our office has six Brisa Pedestal Fan 40cm units. Two of them show batch code BF-0413 on the base plate. Please confirm whether they are affected by the recall and how the replacement works.',
    ],
  },
  {
    key: 'staff-rude', category: 'Account', weight: 3, needsOrder: false, refundable: false, urgent: 0.2,
    subjects: [() => 'Complaint about staff', () => 'Rude employee in your store', () => 'Very unpleasant phone call'],
    bodies: [
      () => 'The employee at the returns desk in your Lyon store was rude to me and refused to look at my receipt. I have been a loyal customer for years and I expect better.',
      () => 'The agent I spoke to on the phone was impatient and rude and ended the call while I was still explaining my problem.',
    ],
  },
  {
    key: 'praise', category: 'Account', weight: 3, needsOrder: false, refundable: false, urgent: 0,
    subjects: [() => 'Thank you!', () => 'Great service from your team', () => 'Compliments to your support agent'],
    bodies: [
      (c) => `Just wanted to say thank you. The support agent who helped me last week was kind, patient and solved my problem in ten minutes. - ${c.firstName}`,
      () => 'Your store staff went out of their way to find the right size for my son. Excellent service, please pass on my thanks.',
    ],
  },
  {
    key: 'delete-account', category: 'Account', weight: 3, needsOrder: false, refundable: false, urgent: 0.1,
    subjects: [() => 'Please DELETE my account', () => 'GDPR: delete my personal data', () => 'Close my account'],
    bodies: [
      () => 'Please delete my account and all personal data you hold about me, as is my right under the GDPR. Confirm when it is done.',
      () => 'I no longer wish to receive e-mails or have an account with you. Please remove my data and stop the newsletter.',
    ],
  },
  {
    key: 'technical', category: 'Technical', weight: 4, needsOrder: false, refundable: false, urgent: 0.1,
    subjects: [() => 'App crashes at checkout', () => 'Error 5003 when paying', () => 'Cannot reset my password', (c) => `Invoice download fails (C:\\Users\\${c.firstName}\\Downloads)`],
    bodies: [
      () => 'The app crashes every time I press "Pay now". I have reinstalled it twice. Phone is up to date.',
      (c) => `Downloading my invoice fails with "access denied" when saving to C:\\Users\\${c.firstName}\\Downloads\\invoice.pdf. Other downloads work fine.`,
      () => 'The password reset e-mail never arrives. I checked the spam folder; our IT team says the mail was blocked as an executable attachment.',
      () => 'Checkout shows error code 5003 and the page reloads, but I am not sure whether the payment went through.',
    ],
  },
];

const GREETINGS = ['Hello,', 'Hi,', 'Dear support team,', 'Good morning,', 'Hi there,', ''];
const REQUESTS = [
  'Please get back to me as soon as possible.',
  'I would appreciate a quick answer.',
  'Thank you in advance for your help.',
  'Looking forward to your reply.',
  'If this is not solved this week I will dispute the payment with my bank.',
  'I am happy to send photos if that helps.',
  '',
];

/** A full ticket body: greeting, the topic's message, a request and the customer's name. */
export function ticketBody(topic: TicketTopic, c: TicketContext, r: Random): string {
  const parts = [r.pick(GREETINGS), r.pick(topic.bodies)(c, r), r.pick(REQUESTS), r.chance(0.7) ? `${r.pick(['Regards', 'Thanks', 'Best', 'Kind regards'])}, ${c.firstName}` : ''];
  return parts.filter((p) => p !== '').join('\n');
}

/** The ticket's subject line. */
export function ticketSubject(topic: TicketTopic, c: TicketContext, r: Random): string {
  const subject = r.pick(topic.subjects)(c);
  return subject.charAt(0).toUpperCase() + subject.slice(1);
}
