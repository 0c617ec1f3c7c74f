import type { Random } from '../prng.ts';
import { RECALLED_PRODUCT, RECALL_BATCH } from './catalog.ts';

/** What a ticket's text may refer to. */
export interface TicketContext {
  firstName: string;
  orderId: number | null;
  orderDate: string | null;
  product: string | null;
  /** The product's shop category, so sizing complaints only concern things people wear. */
  category: string | null;
  amount: string | null;
  days: number;
}

type Text = (c: TicketContext, r: Random) => string;

/** A topic: triage category, weight, whether it usually ends in a refund, and its texts. */
export interface TicketTopic {
  key: string;
  category: 'Delivery' | 'Billing' | 'Returns' | 'Product' | 'Account' | 'Technical';
  weight: number;
  /** Needs an order to talk about. */
  needsOrder: boolean;
  refundable: boolean;
  /** Probability of High/Urgent priority. */
  urgent: number;
  subjects: Text[];
  /** The core of the message: one is always used. */
  bodies: Text[];
  /** Follow-up sentences: zero or one is added. */
  extras: Text[];
}

const order = (c: TicketContext): string => (c.orderId === null ? 'my last order' : `order ${c.orderId}`);
const item = (c: TicketContext): string => c.product ?? 'the item';
const worn = (c: TicketContext): boolean => c.category === 'Clothing' || c.category === 'Sports';
const weekday = (r: Random): string => r.pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);

/** The ticket topics; `recall` is deliberately rare so search tests have a needle to find. */
export const TICKET_TOPICS: readonly TicketTopic[] = [
  {
    key: 'late',
    category: 'Delivery',
    weight: 16,
    needsOrder: true,
    refundable: false,
    urgent: 0.15,
    subjects: [
      (c) => `Where is ${order(c)}?`,
      (c) => `Late delivery - ${order(c)}`,
      () => 'Parcel still not delivered',
      (c) => `${order(c)} not arrived yet`,
      () => 'Delivery delayed again',
      () => 'Late delivery',
      (c) => `Still waiting for ${order(c)}`,
    ],
    bodies: [
      (c) =>
        `I placed ${order(c)} on ${c.orderDate ?? 'your website'} and was promised delivery within a week. It has now been ${c.days} days and the tracking page has not changed. Can you tell me where my parcel is?`,
      (c, r) =>
        `My delivery is late. The ${item(c)} was supposed to arrive last ${weekday(r)} and I took a day off work to wait for it. Nobody came and there is no card in the letterbox.`,
      (c) =>
        `Tracking says "in transit" for ${c.days} days now. It was a birthday present and this late delivery means the birthday has passed. Please chase the carrier or send a replacement.`,
      (c) =>
        `Second time a delivery from you is late. ${order(c)} still has not arrived, and the carrier's hotline just tells me to contact the sender.`,
      (c) =>
        `The estimated delivery date for ${order(c)} keeps moving: first ${weekdayOf(c, 0)}, then ${weekdayOf(c, 2)}, now "soon". What is going on?`,
      (c) => `I paid for express shipping on ${order(c)} and it is ${c.days - 3} days late. I expect the shipping cost back at least.`,
    ],
    extras: [
      () => 'The carrier website says the parcel is at a depot but nobody answers the phone there.',
      () => 'I will not be home next week, so please make sure it is delivered before then or sent to a pickup point.',
      () => 'Late delivery has happened three times this year.',
      () => 'If it cannot be delivered, please cancel and refund the order.',
    ],
  },
  {
    key: 'not-received',
    category: 'Delivery',
    weight: 6,
    needsOrder: true,
    refundable: true,
    urgent: 0.3,
    subjects: [
      () => 'Marked as delivered but not received',
      (c) => `${order(c)} - never arrived`,
      () => 'Parcel stolen?',
      () => 'Tracking says delivered, nothing here',
    ],
    bodies: [
      (c) =>
        `The tracking for ${order(c)} says delivered and left at the front door, but there was nothing there. I checked with my neighbours. Please investigate or refund me.`,
      (c) =>
        `According to the carrier the parcel was handed over at ${c.days % 3 === 0 ? '7:14' : '15:40'}, yet I was at home all day and nobody rang. I did not receive ${item(c)}.`,
      (c) => `The delivery photo for ${order(c)} shows a door that is not mine. The parcel went to the wrong address.`,
    ],
    extras: [
      () => 'Our building has a concierge who signs for every parcel, and he has no record of it.',
      () => 'I have filed a report with the carrier as well.',
    ],
  },
  {
    key: 'damaged',
    category: 'Product',
    weight: 14,
    needsOrder: true,
    refundable: true,
    urgent: 0.2,
    subjects: [
      (c) => `${order(c)} arrived damaged`,
      () => 'Damaged item received',
      (c) => `Broken ${item(c)}`,
      () => 'Item broken in transit - photos attached',
      () => 'Damaged on arrival',
    ],
    bodies: [
      (c) =>
        `The ${item(c)} from ${order(c)} arrived damaged. The box was crushed on one corner and the item inside is cracked. I would like a replacement or a refund.`,
      (c) =>
        `When I unpacked the ${item(c)} today I found it scratched and dented, clearly damaged in transit. The outer packaging had been taped back together.`,
      (c) =>
        `Received ${order(c)} yesterday. Unfortunately a part of it is shattered. Please tell me how to return it; I do not want to pay for return shipping for a damaged item.`,
      (c) => `The ${item(c)} was damaged when it arrived, there is a deep scratch across the front and one corner is bent.`,
      () => 'Parcel arrived soaking wet and the contents are ruined.',
    ],
    extras: [
      () => 'I have attached photos of the box and the item.',
      () => 'The delivery driver left before I could refuse the parcel.',
      () => 'I kept all the packaging in case you need it back.',
    ],
  },
  {
    key: 'missing-parts',
    category: 'Product',
    weight: 6,
    needsOrder: true,
    refundable: true,
    urgent: 0.1,
    subjects: [
      () => 'Missing parts',
      (c) => `Parts missing from ${order(c)}`,
      () => 'Incomplete package - screws not included',
      () => 'Only half of my order arrived',
    ],
    bodies: [
      (c) =>
        `The ${item(c)} came without the fixing screws and the instruction leaflet, so I cannot assemble it. Can you send the missing parts?`,
      (c) => `Opened ${order(c)} and one of the two boxes is missing. The delivery note lists 2 packages, I received 1.`,
      (c) => `Two items from ${order(c)} were not in the parcel although the packing slip ticks them off.`,
    ],
    extras: [() => 'The bag of hardware was empty and torn.', () => 'I need it assembled by the weekend.'],
  },
  {
    key: 'double-charge',
    category: 'Billing',
    weight: 5,
    needsOrder: true,
    refundable: true,
    urgent: 0.45,
    subjects: [
      () => 'Charged twice',
      (c) => `Double charge on ${order(c)}`,
      () => 'I was billed twice for one order',
      () => 'Duplicate payment taken from my card',
    ],
    bodies: [
      (c) =>
        `I was charged twice for ${order(c)}: my bank statement shows two payments of ${c.amount ?? 'the same amount'} a few seconds apart. Please refund the duplicate payment.`,
      (c) =>
        `Your payment page showed an error so I clicked pay again, and now I have been charged twice. Amount ${c.amount ?? 'unknown'}. I only received one confirmation e-mail.`,
      (c) =>
        `There is a double charge on my credit card for ${order(c)}. This is the second time this has happened, please fix your checkout.`,
    ],
    extras: [() => 'My account is now overdrawn because of this.', () => 'I can send you a screenshot of the bank statement.'],
  },
  {
    key: 'wrong-invoice',
    category: 'Billing',
    weight: 6,
    needsOrder: true,
    refundable: false,
    urgent: 0.1,
    subjects: [
      () => 'Wrong invoice',
      (c) => `Invoice for ${order(c)} is incorrect`,
      () => 'VAT number missing on invoice',
      () => 'Need corrected invoice',
      () => 'Billing mistake',
    ],
    bodies: [
      (c) =>
        `The invoice for ${order(c)} has the wrong company name and our VAT number is missing. Our accountant cannot book it. Please send a corrected invoice.`,
      (c) =>
        `The invoice shows ${c.amount ?? 'a higher amount'} but the discount code was accepted at checkout, so the wrong price was billed. I was overcharged.`,
      () =>
        'I need a copy of the invoice addressed to my employer instead of to me personally. Is that possible after the order was shipped?',
      (c) => `The wrong invoice was attached to the confirmation for ${order(c)}: it lists items I never ordered.`,
    ],
    extras: [
      () => 'Our year-end closing is on Friday, so this is urgent for us.',
      () => 'The billing address should be the head office, not the shop.',
    ],
  },
  {
    key: 'refund-status',
    category: 'Returns',
    weight: 10,
    needsOrder: true,
    refundable: true,
    urgent: 0.2,
    subjects: [
      () => 'Refund not received',
      (c) => `Refund for ${order(c)}?`,
      () => 'Still waiting for my refund',
      () => 'When will I get my money back?',
    ],
    bodies: [
      (c) =>
        `I returned the ${item(c)} ${c.days} days ago and the tracking shows you received it, but I have not had my refund yet. Your website says refunds take 5 working days.`,
      (c) =>
        `You confirmed the return for ${order(c)} but the refund of ${c.amount ?? 'my money'} has not reached my account. Please check what went wrong.`,
      () => 'This is my third e-mail about my refund. I am starting to think I will never see that money again. Please escalate.',
      (c) => `The refund for ${order(c)} was only partial. I returned everything, so I expect the full amount back.`,
    ],
    extras: [
      () => 'I paid by PayPal if that makes a difference.',
      () => 'The return was dropped off at the post office, I still have the receipt.',
    ],
  },
  {
    key: 'return-request',
    category: 'Returns',
    weight: 8,
    needsOrder: true,
    refundable: true,
    urgent: 0.05,
    subjects: [
      () => 'Return label please',
      () => 'Exchange for a different size',
      (c) => `Return ${item(c)}`,
      () => 'How do I return this?',
    ],
    bodies: [
      (c) =>
        worn(c)
          ? `The ${item(c)} is too small, sizing runs small compared with the size chart. Can I exchange it for one size up?`
          : `The ${item(c)} is smaller than the dimensions on the product page. Can I exchange it for the larger model?`,
      (c) => `I would like to return ${order(c)}, it is not what I expected. Could you send me a return label?`,
      (c) =>
        worn(c)
          ? 'The size is wrong: I ordered a medium but the label says large. Please exchange it.'
          : `I ordered two of the ${item(c)} by mistake. Can I send one back?`,
      (c) => `The colour of the ${item(c)} is very different from the photos. I want to return it for a refund.`,
    ],
    extras: [() => 'It is unused and still in the original packaging.', () => 'Can I return it in one of your stores instead?'],
  },
  {
    key: 'defect',
    category: 'Product',
    weight: 8,
    needsOrder: true,
    refundable: true,
    urgent: 0.15,
    subjects: [
      () => 'Warranty claim',
      (c) => `${item(c)} stopped working`,
      () => 'Product faulty after a few weeks',
      () => 'Defective product',
      () => 'Poor quality',
    ],
    bodies: [
      (c) =>
        `My ${item(c)} stopped working after ${c.days} days of normal use. It is still under warranty. What do I need to send you for a warranty repair or replacement?`,
      (c) => `The quality is disappointing: the ${item(c)} fell apart after a few uses. I expected it to last longer at this price.`,
      (c) => `The ${item(c)} makes a grinding noise and then switches itself off. I followed the manual exactly.`,
    ],
    extras: [() => 'I still have the receipt and the box.', () => 'This is the second one that broke, the first was replaced last year.'],
  },
  {
    key: 'recall',
    category: 'Product',
    weight: 0,
    needsOrder: false,
    refundable: false,
    urgent: 0.9,
    subjects: [
      () => `Recall notice for ${RECALLED_PRODUCT}?`,
      () => 'Is my pedestal fan part of the recall?',
      () => `Safety recall ${RECALL_BATCH}`,
    ],
    bodies: [
      () =>
        `I read that the ${RECALLED_PRODUCT} from batch ${RECALL_BATCH} is being recalled because the motor housing can overheat. Mine gets very hot after an hour and smells of burning plastic. How do I return it under the recall?`,
      () =>
        `Our office has six ${RECALLED_PRODUCT} units. Two of them show batch code ${RECALL_BATCH} on the base plate. Please confirm whether they are affected by the recall and how the replacement works.`,
    ],
    extras: [() => 'We have unplugged it for now.'],
  },
  {
    key: 'staff-rude',
    category: 'Account',
    weight: 3,
    needsOrder: false,
    refundable: false,
    urgent: 0.2,
    subjects: [() => 'Complaint about staff', () => 'Rude employee in your store', () => 'Very unpleasant phone call'],
    bodies: [
      () =>
        'The employee at the returns desk in your Lyon store was rude to me and refused to look at my receipt. I have been a loyal customer for years and I expect better.',
      () => 'The agent I spoke to on the phone was impatient and rude and ended the call while I was still explaining my problem.',
      () => 'The delivery driver was rude and threw the parcel over the gate.',
    ],
    extras: [() => 'I would like an apology.', () => 'Other customers in the queue noticed it too.'],
  },
  {
    key: 'praise',
    category: 'Account',
    weight: 3,
    needsOrder: false,
    refundable: false,
    urgent: 0,
    subjects: [() => 'Thank you!', () => 'Great service from your team', () => 'Compliments to your support agent'],
    bodies: [
      () =>
        'Just wanted to say thank you. The support agent who helped me last week was kind, patient and solved my problem in ten minutes.',
      () => 'Your store staff went out of their way to find the right size for my son. Excellent service, please pass on my thanks.',
      () => 'The replacement arrived the day after I called, well before I expected it. Kind and efficient service.',
    ],
    extras: [() => 'No need to reply.'],
  },
  {
    key: 'delete-account',
    category: 'Account',
    weight: 3,
    needsOrder: false,
    refundable: false,
    urgent: 0.1,
    subjects: [() => 'Please DELETE my account', () => 'GDPR: delete my personal data', () => 'Close my account', () => 'Unsubscribe me'],
    bodies: [
      () => 'Please delete my account and all personal data you hold about me, as is my right under the GDPR. Confirm when it is done.',
      () => 'I no longer wish to receive e-mails or have an account with you. Please remove my data and stop the newsletter.',
    ],
    extras: [() => 'I have asked twice already.'],
  },
  {
    key: 'technical',
    category: 'Technical',
    weight: 4,
    needsOrder: false,
    refundable: false,
    urgent: 0.1,
    subjects: [
      () => 'App crashes at checkout',
      () => 'Error 5003 when paying',
      () => 'Cannot reset my password',
      (c) => `Invoice download fails (C:\\Users\\${c.firstName}\\Downloads)`,
    ],
    bodies: [
      () => 'The app crashes every time I press "Pay now". I have reinstalled it twice. Phone is up to date.',
      (c) =>
        `Downloading my invoice fails with "access denied" when saving to C:\\Users\\${c.firstName}\\Downloads\\invoice.pdf. Other downloads work fine.`,
      () =>
        'The password reset e-mail never arrives. I checked the spam folder; our IT team says the mail was blocked as an executable attachment.',
      () => 'Checkout shows error code 5003 and the page reloads, but I am not sure whether the payment went through.',
    ],
    extras: [() => 'I am using the latest version of Firefox.', () => 'Same problem on my laptop and my phone.'],
  },
];

function weekdayOf(c: TicketContext, shift: number): string {
  return ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'][(c.days + shift) % 5] ?? 'Monday';
}
