import type { Random } from '../prng.ts';

/** What a review's text may refer to. */
export interface ReviewContext {
  product: string;
  item: string;
  category: string;
  rating: number;
}

type Fragment = (c: ReviewContext, r: Random) => string;

const POSITIVE_OPENERS: Fragment[] = [
  (c) => `Really happy with this ${c.item}.`,
  (c) => `This is the best ${c.item} I have owned so far.`,
  () => 'Exactly what I was looking for.',
  (c) => `Bought the ${c.product} after reading the reviews here and they were right.`,
  () => 'Five stars from me, no hesitation.',
  (c) => `Second ${c.item} I have bought from you and still impressed.`,
  () => 'Great purchase overall.',
  (c) => `I was unsure about ordering a ${c.item} online, but it worked out perfectly.`,
  () => 'Does what it says on the box.',
  (_c, r) => `Have been using it daily for ${r.pick(['two weeks', 'a month', 'three months', 'half a year', 'over a year'])} now.`,
];

const NEGATIVE_OPENERS: Fragment[] = [
  () => 'Very disappointed.',
  (c) => `I would not buy this ${c.item} again.`,
  () => 'Not worth the money, unfortunately.',
  (c) => `Sadly the ${c.product} did not live up to the description.`,
  () => 'Avoid.',
  () => 'I rarely write negative reviews but this time I have to.',
  (c) => `My ${c.item} turned out to be a real letdown.`,
  () => 'What a frustrating experience from start to finish.',
];

const MIXED_OPENERS: Fragment[] = [
  () => 'Decent, but not perfect.',
  (c) => `The ${c.item} itself is fine, the rest less so.`,
  () => 'Mixed feelings about this one.',
  () => 'It is okay for the price.',
  (c) => `Some good points and some bad points with the ${c.product}.`,
  () => 'Three stars because it does the job, nothing more.',
];

const PRAISE: Fragment[] = [
  () => 'The build quality is excellent and it feels solid in the hand.',
  () => 'Delivery was fast, it arrived the next day, well packed.',
  (_c, r) => `Arrived ${r.pick(['a day early', 'on time', 'within 48 hours', 'faster than promised'])} and the packaging was mostly recycled cardboard.`,
  () => 'Great value for money compared with what the big stores charge.',
  () => 'The colour is exactly like the photos.',
  () => 'Easy to set up, the instructions were clear and short.',
  () => 'It looks much more expensive than it was.',
  () => 'The staff in the Lyon store were so kind and helpful when I picked it up.',
  () => 'Customer service answered my question within an hour, very friendly.',
  () => 'Sizing is true to size, I ordered my usual size and it fits perfectly.',
  (c) => `Bought it as a gift and the recipient loves the ${c.item}.`,
  () => 'Quiet, efficient and easy to clean.',
  () => 'Materials feel durable, I expect it to last for years.',
  () => 'The little details show someone actually thought about the design.',
  () => 'Lighter than I expected, which is a plus.',
  () => 'Good warranty too, which gives peace of mind.',
];

const COMPLAINTS: Fragment[] = [
  (_c, r) => `Delivery was ${r.int(4, 16)} days late and nobody told me why.`,
  () => 'It arrived damaged: the box was crushed and the item was scratched.',
  (c) => `The ${c.item} was broken when I opened the parcel.`,
  () => 'Parts were missing from the box, the screws and the manual were not included.',
  (_c, r) => `It stopped working after ${r.pick(['two days', 'a week', 'three weeks', 'a month', 'two months'])}.`,
  () => 'The quality is poor, the plastic feels cheap and flimsy.',
  () => 'Sizing runs small, I had to return it for a bigger one.',
  () => 'Sizing runs large, even the smallest size was loose.',
  () => 'I asked for a refund two weeks ago and I am still waiting for the money.',
  () => 'I was charged twice for the same order and it took ages to sort out.',
  () => 'The staff member on the phone was rude and hung up on me.',
  () => 'The warranty claim was refused because I had thrown away the box.',
  () => 'I received the wrong colour and had to send it back.',
  () => 'The colour looks nothing like the pictures on the website.',
  () => 'It smells strongly of chemicals even after airing it for days.',
  () => 'The instructions are confusing and half of the steps are missing.',
  () => 'Much smaller than it looks in the photos.',
  () => 'The battery barely lasts a day.',
  () => 'The invoice showed the wrong price and I was overcharged.',
  () => 'Late delivery, damaged packaging, and a refund that took a month. Never again.',
];

const NEUTRAL: Fragment[] = [
  () => 'Delivery took a bit longer than promised but it did arrive.',
  () => 'The quality is acceptable for everyday use.',
  () => 'Assembly took longer than I hoped.',
  () => 'One small scratch on the side, not worth returning it for.',
  () => 'It is a little noisy, but I can live with that.',
  () => 'The size is fine, though the sleeves are a little long.',
  () => 'Works as expected, nothing special about it.',
  () => 'Packaging could have been better, there was far too much plastic.',
];

const POSITIVE_CLOSERS: Fragment[] = [
  () => 'Highly recommended.',
  () => 'Would buy again.',
  (c) => `Already thinking of getting a second ${c.item}.`,
  () => 'Thank you!',
  () => '',
  () => '',
  () => 'Happy customer here.',
];
const NEGATIVE_CLOSERS: Fragment[] = [
  () => 'I want my money back.',
  () => 'Returning it.',
  () => 'Save your money.',
  () => 'I expected better from this shop.',
  () => '',
  () => 'One star is generous.',
];
const MIXED_CLOSERS: Fragment[] = [() => 'Would only buy again on sale.', () => 'Fine for now.', () => '', () => 'Not bad, not great.'];

/** Short reviews written in other languages: the shop sells across Europe. */
const FOREIGN: readonly (readonly [string, number])[] = [
  ['Très bon produit, livraison rapide. Je recommande !', 5],
  ['Produit arrivé cassé, remboursement demandé. Déçu.', 1],
  ['Sehr gute Qualität, schnelle Lieferung. Gerne wieder.', 5],
  ['Leider beschädigt angekommen, Rückerstattung läuft noch.', 2],
  ['Muy buena calidad, llegó antes de lo previsto.', 5],
  ['Prodotto ottimo, spedizione veloce.', 4],
  ['Всё отлично, спасибо! Качество отличное.', 5],
  ['Доставка задержалась на неделю, но товар отличный.', 4],
];

/** A review title matching the rating. */
export function reviewTitle(c: ReviewContext, r: Random): string {
  if (c.rating >= 4) return r.pick(['Love it', 'Great value', 'Excellent quality', `Perfect ${c.item}`, 'Exceeded expectations', 'Fast delivery, great product', 'Very happy', 'Does the job brilliantly']);
  if (c.rating === 3) return r.pick(['OK for the price', 'Average', 'Decent but could be better', 'Mixed feelings', 'Not bad']);
  return r.pick(['Disappointed', 'Arrived damaged', 'Poor quality', 'Late delivery and no updates', 'Still waiting for my refund', 'Missing parts', `Broken ${c.item}`, 'Do not buy']);
}

/**
 * A review body: an opener, one to three sentences on what the customer liked or disliked, and a
 * closer, drawn according to the star rating; a few are in other languages or carry an emoji.
 */
export function reviewBody(c: ReviewContext, r: Random): string {
  const foreign = FOREIGN.filter(([, rating]) => Math.abs(rating - c.rating) <= 1);
  if (foreign.length > 0 && r.chance(0.025)) return r.pick(foreign)[0];
  const [openers, topics, closers] =
    c.rating >= 4 ? [POSITIVE_OPENERS, PRAISE, POSITIVE_CLOSERS] : c.rating === 3 ? [MIXED_OPENERS, NEUTRAL, MIXED_CLOSERS] : [NEGATIVE_OPENERS, COMPLAINTS, NEGATIVE_CLOSERS];
  const parts = [r.pick(openers)(c, r)];
  const used = new Set<number>();
  const count = r.int(1, 3);
  for (let i = 0; i < count; i++) {
    const index = r.int(0, topics.length - 1);
    if (used.has(index)) continue;
    used.add(index);
    parts.push((topics[index] as Fragment)(c, r));
  }
  if (c.rating === 3 && r.chance(0.6)) parts.push(r.pick(r.chance(0.5) ? PRAISE : COMPLAINTS)(c, r));
  parts.push(r.pick(closers)(c, r));
  let text = parts.filter((p) => p !== '').join(' ');
  if (c.rating >= 4 && r.chance(0.03)) text += ' 😀';
  return text;
}
