import type { Random } from '../prng.ts';
import type { TicketContext, TicketTopic } from './ticket-topics.ts';

export { TICKET_TOPICS } from './ticket-topics.ts';
export type { TicketContext, TicketTopic } from './ticket-topics.ts';

const GREETINGS = ['Hello,', 'Hi,', 'Dear support team,', 'Good morning,', 'Hi there,', 'Dear Sir or Madam,', 'Hello again,', ''];
const REQUESTS = [
  'Please get back to me as soon as possible.',
  'I would appreciate a quick answer.',
  'Thank you in advance for your help.',
  'Looking forward to your reply.',
  'If this is not solved this week I will dispute the payment with my bank.',
  'I am happy to send photos if that helps.',
  'Please call me, e-mail is too slow.',
  'Can someone finally sort this out?',
  '',
  '',
];
const SIGN_OFFS = ['Regards', 'Thanks', 'Best', 'Kind regards', 'Many thanks', 'Cheers'];

/**
 * A full ticket body: greeting, the topic's message, sometimes a follow-up detail, a request and
 * the customer's name. A few are written in a hurry, all lower case.
 */
export function ticketBody(topic: TicketTopic, c: TicketContext, r: Random): string {
  const parts = [
    r.pick(GREETINGS),
    r.pick(topic.bodies)(c, r),
    r.chance(0.45) ? r.pick(topic.extras)(c, r) : '',
    r.pick(REQUESTS),
    r.chance(0.7) ? `${r.pick(SIGN_OFFS)}, ${c.firstName}` : '',
  ];
  const text = parts.filter((p) => p !== '').join('\n');
  return r.chance(0.04) ? text.toLowerCase() : text;
}

/** The ticket's subject line; urgent ones are sometimes shouted. */
export function ticketSubject(topic: TicketTopic, c: TicketContext, r: Random, urgent: boolean): string {
  const subject = r.pick(topic.subjects)(c, r);
  const capitalised = subject.charAt(0).toUpperCase() + subject.slice(1);
  return urgent && r.chance(0.3) ? `URGENT: ${capitalised}` : capitalised;
}
