import type { Random } from '../prng.ts';

/** What a review's text may refer to. */
export interface ReviewContext {
  product: string;
  item: string;
  category: string;
  rating: number;
}

type Fragment = (c: ReviewContext, r: Random) => string;
/** A sentence, and the categories it makes sense for (all when omitted). */
type Line = readonly [Fragment, (readonly string[])?];

const WEAR = ['Clothing', 'Sports'];
const POWERED = ['Electronics', 'Kitchen', 'Home', 'Beauty', 'Garden'];
const ASSEMBLED = ['Home', 'Office', 'Garden', 'Toys', 'Outdoor', 'Pets', 'Sports'];
const BOOKS = ['Books'];
const period = (r: Random) => r.pick(['two days', 'a week', 'ten days', 'three weeks', 'a month', 'six weeks', 'two months']);

const OPENERS: Record<'good' | 'mixed' | 'bad', Fragment[]> = {
  good: [
    (c) => `Really happy with this ${c.item}.`,
    (c) => `This is the best ${c.item} I have owned so far.`,
    () => 'Exactly what I was looking for.',
    (c) => `Bought the ${c.product} after reading the reviews here and they were right.`,
    () => 'Five stars from me, no hesitation.',
    (c) => `Second ${c.item} I have bought from you and still impressed.`,
    () => 'Great purchase overall.',
    (c) => `I was unsure about ordering a ${c.item} online, but it worked out perfectly.`,
    () => 'Does what it says on the box.',
    (_c, r) => `Have been using it daily for ${period(r)} now and no complaints.`,
    (c) => `Replaced my old ${c.item} with this one and the difference is night and day.`,
    () => 'Pleasantly surprised.',
    () => 'Lovely product.',
  ],
  mixed: [
    () => 'Decent, but not perfect.',
    (c) => `The ${c.item} itself is fine, the rest less so.`,
    () => 'Mixed feelings about this one.',
    () => 'It is okay for the price.',
    (c) => `Some good points and some bad points with the ${c.product}.`,
    () => 'Three stars because it does the job, nothing more.',
    () => 'Not bad, but I expected a little more.',
  ],
  bad: [
    () => 'Very disappointed.',
    (c) => `I would not buy this ${c.item} again.`,
    () => 'Not worth the money, unfortunately.',
    (c) => `Sadly the ${c.product} did not live up to the description.`,
    () => 'Avoid.',
    () => 'I rarely write negative reviews but this time I have to.',
    (c) => `My ${c.item} turned out to be a real letdown.`,
    () => 'What a frustrating experience from start to finish.',
    () => 'Terrible.',
    (c) => `Ordered the ${c.product} and regretted it within a day.`,
  ],
};

/** Who bought it and why: makes reviews read like people rather than templates. */
const SITUATIONS: Line[] = [
  [(_c, r) => `Bought it for my ${r.pick(['daughter', 'son', 'mother', 'father', 'partner', 'grandson', 'flatmate', 'neighbour'])}.`],
  [
    (_c, r) =>
      `We use it ${r.pick(['in our café', 'at the office', 'in the holiday flat', 'at the kindergarten', 'in the studio', 'every weekend'])}.`,
  ],
  [() => 'Ordered on a Sunday evening, it was here on Tuesday.'],
  [() => 'Picked it up in the store instead of waiting for delivery.'],
  [(_c, r) => `Bought during the ${r.pick(['spring', 'summer', 'Black Friday', 'January', 'back-to-school'])} sale.`],
  [() => 'Compared it with three other models before choosing this one.'],
];

const PRAISE: Line[] = [
  [() => 'The build quality is excellent and it feels solid in the hand.'],
  [() => 'Delivery was fast, it arrived the next day, well packed.'],
  [
    (_c, r) =>
      `Arrived ${r.pick(['a day early', 'on time', 'within 48 hours', 'faster than promised'])} and the packaging was mostly recycled cardboard.`,
  ],
  [() => 'Great value for money compared with what the big stores charge.'],
  [() => 'The colour is exactly like the photos.'],
  [() => 'Easy to set up, the instructions were clear and short.', ASSEMBLED],
  [() => 'Assembly took fifteen minutes and every screw was in the bag.', ASSEMBLED],
  [() => 'It looks much more expensive than it was.'],
  [() => 'The staff in the Lyon store were so kind and helpful when I picked it up.'],
  [() => 'Customer service answered my question within an hour, very friendly.'],
  [() => 'Sizing is true to size, I ordered my usual size and it fits perfectly.', WEAR],
  [() => 'The fabric is soft and it kept its shape after several washes.', ['Clothing']],
  [() => 'Comfortable from the first day, no breaking in needed.', WEAR],
  [(c) => `Bought it as a gift and the recipient loves the ${c.item}.`],
  [() => 'Quiet, efficient and easy to clean.', POWERED],
  [(_c, r) => `The battery lasts ${r.pick(['a whole week', 'three days', 'longer than advertised'])}.`, ['Electronics', 'Beauty']],
  [() => 'Materials feel durable, I expect it to last for years.'],
  [() => 'The little details show someone actually thought about the design.'],
  [() => 'Lighter than I expected, which is a plus.', ['Outdoor', 'Sports', 'Electronics', 'Home']],
  [() => 'Good warranty too, which gives peace of mind.', POWERED],
  [() => 'Beautifully printed, the photos are sharp and the binding is solid.', BOOKS],
  [() => 'I could not put it down and finished it in a weekend.', BOOKS],
  [() => 'The kids have played with it every day since it arrived.', ['Toys']],
  [() => 'Our dog took to it immediately.', ['Pets']],
  [() => 'Heats up quickly and evenly.', ['Kitchen']],
  [() => 'Survived a week of rain in the mountains without a problem.', ['Outdoor', 'Clothing']],
  [() => 'Gentle on sensitive skin, no irritation at all.', ['Beauty']],
  [() => 'The plants are thriving and it still looks new after a season outside.', ['Garden']],
];

const COMPLAINTS: Line[] = [
  [(_c, r) => `Delivery was ${r.int(4, 16)} days late and nobody told me why.`],
  [() => 'Late delivery, and the tracking page showed no updates for a week.'],
  [() => 'It arrived damaged: the box was crushed and the item was scratched.'],
  [(c) => `The ${c.item} was broken when I opened the parcel.`],
  [() => 'Parts were missing from the box, the screws and the manual were not included.', ASSEMBLED],
  [(_c, r) => `It stopped working after ${period(r)}.`, POWERED],
  [() => 'The quality is poor, the plastic feels cheap and flimsy.'],
  [() => 'The seams came apart after the second wash.', ['Clothing']],
  [() => 'Sizing runs small, I had to return it for a bigger one.', WEAR],
  [() => 'Sizing runs large, even the smallest size was loose.', WEAR],
  [(_c, r) => `I asked for a refund ${r.pick(['two weeks', 'a month', 'ten days'])} ago and I am still waiting for the money.`],
  [() => 'I was charged twice for the same order and it took ages to sort out.'],
  [() => 'The staff member on the phone was rude and hung up on me.'],
  [() => 'The warranty claim was refused because I had thrown away the box.', POWERED],
  [() => 'I received the wrong colour and had to send it back.'],
  [() => 'The colour looks nothing like the pictures on the website.'],
  [() => 'It smells strongly of chemicals even after airing it for days.', ['Home', 'Toys', 'Pets', 'Outdoor']],
  [() => 'The instructions are confusing and half of the steps are missing.', ASSEMBLED],
  [() => 'Much smaller than it looks in the photos.'],
  [() => 'The battery barely lasts a day.', ['Electronics', 'Beauty']],
  [() => 'The invoice showed the wrong price and I was overcharged.'],
  [() => 'Late delivery, damaged packaging, and a refund that took a month. Never again.'],
  [() => 'Pages were printed upside down in the middle of the book.', BOOKS],
  [() => 'The non-stick coating started peeling after a few uses.', ['Kitchen']],
  [() => 'A small part broke off on the first day, not safe for young children.', ['Toys']],
  [() => 'Our cat ignored it completely and it wobbles badly.', ['Pets']],
  [() => 'Gave me a rash, I stopped using it after two days.', ['Beauty']],
  [() => 'The tent leaked at the seams during the first night of rain.', ['Outdoor']],
];

const NEUTRAL: Line[] = [
  [() => 'Delivery took a bit longer than promised but it did arrive.'],
  [() => 'The quality is acceptable for everyday use.'],
  [() => 'Assembly took longer than I hoped.', ASSEMBLED],
  [() => 'One small scratch on the side, not worth returning it for.'],
  [() => 'It is a little noisy, but I can live with that.', POWERED],
  [() => 'The size is fine, though the sleeves are a little long.', ['Clothing']],
  [() => 'Works as expected, nothing special about it.'],
  [() => 'Packaging could have been better, there was far too much plastic.'],
  [() => 'Cheaper alternatives do the same job.'],
  [() => 'The content is good but the print is very small.', BOOKS],
];

const CLOSERS: Record<'good' | 'mixed' | 'bad', string[]> = {
  good: ['Highly recommended.', 'Would buy again.', 'Thank you!', '', '', 'Happy customer here.', 'Ten out of ten.', 'Worth every cent.'],
  mixed: ['Would only buy again on sale.', 'Fine for now.', '', 'Not bad, not great.', 'Maybe the next version will be better.'],
  bad: ['I want my money back.', 'Returning it.', 'Save your money.', 'I expected better from this shop.', '', 'One star is generous.'],
};

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

const mood = (rating: number): 'good' | 'mixed' | 'bad' => (rating >= 4 ? 'good' : rating === 3 ? 'mixed' : 'bad');
const fits = (c: ReviewContext) => (line: Line) => line[1] === undefined || line[1].includes(c.category);

/** A review title matching the rating. */
export function reviewTitle(c: ReviewContext, r: Random): string {
  if (c.rating >= 4)
    return r.pick([
      'Love it',
      'Great value',
      'Excellent quality',
      `Perfect ${c.item}`,
      'Exceeded expectations',
      'Fast delivery, great product',
      'Very happy',
      'Does the job brilliantly',
      'Would recommend',
      `Our new favourite ${c.item}`,
    ]);
  if (c.rating === 3)
    return r.pick(['OK for the price', 'Average', 'Decent but could be better', 'Mixed feelings', 'Not bad', 'Does the job']);
  return r.pick([
    'Disappointed',
    'Arrived damaged',
    'Poor quality',
    'Late delivery and no updates',
    'Still waiting for my refund',
    'Not as described',
    `Broken ${c.item}`,
    'Do not buy',
    'Waste of money',
  ]);
}

/**
 * A review body: an opener, sometimes the buyer's situation, one to three sentences about what
 * they liked or disliked (only sentences that make sense for the product's category), and a
 * closer; a few are in other languages or carry an emoji.
 */
export function reviewBody(c: ReviewContext, r: Random): string {
  const foreign = FOREIGN.filter(([, rating]) => Math.abs(rating - c.rating) <= 1);
  if (foreign.length > 0 && r.chance(0.025)) return r.pick(foreign)[0];
  const m = mood(c.rating);
  const topics = (m === 'good' ? PRAISE : m === 'mixed' ? NEUTRAL : COMPLAINTS).filter(fits(c));
  const parts = [r.pick(OPENERS[m])(c, r)];
  if (r.chance(0.3)) parts.push(r.pick(SITUATIONS.filter(fits(c)))[0](c, r));
  const chosen = new Set<Line>();
  const count = r.int(1, 3);
  for (let i = 0; i < count; i++) chosen.add(r.pick(topics));
  if (m === 'mixed' && r.chance(0.7)) chosen.add(r.pick((r.chance(0.5) ? PRAISE : COMPLAINTS).filter(fits(c))));
  for (const line of chosen) parts.push(line[0](c, r));
  parts.push(r.pick(CLOSERS[m]));
  let text = parts.filter((p) => p !== '').join(' ');
  if (c.rating >= 4 && r.chance(0.03)) text += ' 😀';
  return text;
}
