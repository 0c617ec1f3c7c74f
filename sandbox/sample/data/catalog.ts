import type { Random } from '../prng.ts';
import type { Row } from '../tsql.ts';
import { bytes, guid, isoDate, isoDateTime, randomInstant, utc } from './dates.ts';

export interface ProductInfo {
  id: number;
  name: string;
  category: string;
  /** What the product is, in lower case ("pedestal fan"), for prose. */
  item: string;
  priceCents: number;
  discontinued: boolean;
  /** Relative popularity when picking products for order lines. */
  popularity: number;
}

/** Each category: price range in EUR, invented brands, items and variants. */
const CATEGORIES: readonly { name: string; min: number; max: number; brands: string[]; items: string[]; variants: string[] }[] = [
  {
    name: 'Toys',
    min: 6,
    max: 90,
    brands: ['Kiddo', 'Marlowe', 'Tumble'],
    items: [
      'Wooden Train Set',
      'Building Blocks',
      'Plush Fox',
      'Puzzle',
      'Doll House',
      'Kite',
      'Marble Run',
      'Stacking Rings',
      'Play Kitchen',
      'Remote Control Car',
    ],
    variants: ['Junior', '100 pcs', '500 pcs', 'Deluxe', 'Mini', 'Classic', 'XL'],
  },
  {
    name: 'Garden',
    min: 4,
    max: 420,
    brands: ['Greenway', 'Pinecrest', 'Fennick'],
    items: [
      'Hose Reel',
      'Pruning Shears',
      'Raised Bed',
      'Compost Bin',
      'Lawn Mower',
      'Watering Can',
      'Bird Feeder',
      'Planter',
      'Garden Gloves',
      'Leaf Blower',
    ],
    variants: ['10 L', '30 m', 'Cordless', 'Large', 'Small', 'Pro', 'Cedar'],
  },
  {
    name: 'Kitchen',
    min: 5,
    max: 380,
    brands: ['Kettlebrook', 'Alder & Ash', 'Sorrel'],
    items: [
      'Chef Knife',
      'Cast Iron Pan',
      'Electric Kettle',
      'Stand Mixer',
      'Coffee Grinder',
      'Cutting Board',
      'Toaster',
      'Food Storage Set',
      'Espresso Machine',
      'Dutch Oven',
    ],
    variants: ['20 cm', '24 cm', '1.7 L', 'Steel', 'Walnut', '4-slice', 'Matte Black'],
  },
  {
    name: 'Electronics',
    min: 9,
    max: 900,
    brands: ['Lumio', 'Orbix', 'Vantor'],
    items: [
      'Wireless Earbuds',
      'Bluetooth Speaker',
      'Smart Plug',
      'USB-C Charger',
      'Power Bank',
      'Webcam',
      'E-Reader',
      'Smartwatch',
      'Soundbar',
      'Router',
    ],
    variants: ['65 W', '10000 mAh', 'Gen 2', 'Pro', 'Lite', 'Max', 'HD'],
  },
  {
    name: 'Home',
    min: 8,
    max: 650,
    brands: ['Nordvik', 'Brisa', 'Halden'],
    items: [
      'Pedestal Fan',
      'Table Lamp',
      'Duvet',
      'Bath Towel Set',
      'Storage Basket',
      'Wall Clock',
      'Curtains',
      'Rug',
      'Dehumidifier',
      'Air Purifier',
    ],
    variants: ['40cm', 'Oak', 'King Size', 'Grey', 'Linen', '160x230', 'Quiet'],
  },
  {
    name: 'Clothing',
    min: 9,
    max: 220,
    brands: ['Tidewell', 'Quillon', 'Zephyra'],
    items: [
      'Rain Jacket',
      'Merino Jumper',
      'Cotton T-Shirt',
      'Chinos',
      'Wool Socks',
      'Down Vest',
      'Linen Shirt',
      'Hoodie',
      'Beanie',
      'Trail Shorts',
    ],
    variants: ['Navy', 'Olive', 'Black', 'Women', 'Men', 'Kids', 'Sand'],
  },
  {
    name: 'Sports',
    min: 7,
    max: 560,
    brands: ['Summit', 'Kestrel', 'Vantor'],
    items: [
      'Yoga Mat',
      'Dumbbell Set',
      'Running Shoes',
      'Tennis Racket',
      'Bike Helmet',
      'Water Bottle',
      'Resistance Bands',
      'Football',
      'Climbing Chalk Bag',
      'Exercise Bike',
    ],
    variants: ['6 mm', '2 x 5 kg', 'Size 5', 'Trail', 'Road', '750 ml', 'Pro'],
  },
  {
    name: 'Books',
    min: 6,
    max: 60,
    brands: ['Larkspur Press', 'Driftwood Books'],
    items: [
      'Cookbook',
      'Field Guide to Birds',
      'Travel Guide',
      'Crime Novel',
      'Gardening Handbook',
      "Children's Atlas",
      'Photography Course',
      'History of Sailing',
      'Poetry Anthology',
      'Puzzle Book',
    ],
    variants: ['Hardcover', 'Paperback', '2nd Edition', 'Illustrated', 'Pocket'],
  },
  {
    name: 'Beauty',
    min: 4,
    max: 140,
    brands: ['Sorrel', 'Aurelle', 'Thistle'],
    items: [
      'Face Cream',
      'Shampoo',
      'Hair Dryer',
      'Lip Balm',
      'Body Lotion',
      'Electric Toothbrush',
      'Sunscreen SPF 50',
      'Beard Trimmer',
      'Perfume',
      'Bath Salts',
    ],
    variants: ['50 ml', '250 ml', 'Travel', 'Sensitive', 'Unscented', 'Lavender'],
  },
  {
    name: 'Office',
    min: 2,
    max: 480,
    brands: ['Quillon', 'Atlas', 'Ironbridge'],
    items: [
      'Desk Chair',
      'Notebook',
      'Fountain Pen',
      'Standing Desk',
      'Desk Organiser',
      'Monitor Arm',
      'Label Printer',
      'Paper Shredder',
      'Whiteboard',
      'Stapler',
    ],
    variants: ['A5', 'A4', 'Ergonomic', 'Oak', 'White', 'Heavy Duty'],
  },
  {
    name: 'Pets',
    min: 3,
    max: 190,
    brands: ['Pawley', 'Fennick'],
    items: [
      'Dog Bed',
      'Cat Tree',
      'Leash',
      'Food Bowl',
      'Scratching Post',
      'Pet Carrier',
      'Chew Toy',
      'Aquarium Filter',
      'Bird Cage',
      'Grooming Brush',
    ],
    variants: ['Small', 'Medium', 'Large', 'Reflective', 'Ceramic', '60 L'],
  },
  {
    name: 'Outdoor',
    min: 8,
    max: 700,
    brands: ['Timberline', 'Kestrel', 'Pinecrest'],
    items: [
      'Tent',
      'Sleeping Bag',
      'Camping Stove',
      'Hiking Backpack',
      'Headlamp',
      'Folding Chair',
      'Cool Box',
      'Trekking Poles',
      'Hammock',
      'Gas Barbecue',
    ],
    variants: ['2-person', '4-person', '-5°C', '35 L', '55 L', 'Ultralight'],
  },
];

/** The product that a few support tickets discuss a safety recall for: a needle for search tests. */
export const RECALLED_PRODUCT = 'Brisa Pedestal Fan 40cm';
/** The batch code those tickets quote; it appears nowhere else. */
export const RECALL_BATCH = 'BF-0413';
/** A legacy product whose name contains an underscore (LIKE … ESCAPE tests). */
export const UNDERSCORE_PRODUCT = 'Gift Card_Legacy 25';

const EDITORS = ['catalog_sync', 'anna.m', 'j.fischer', 'svc_pim', 'l.garcia', 'marketing_bot', 'RETAIL\\dsmith'];

const DESCRIPTIONS = [
  'Designed in Lyon and tested by our own team for everyday use.',
  'A customer favourite that combines sturdy materials with a clean look.',
  'Comes with a two-year warranty and free returns within 30 days.',
  'Built to last, easy to clean and packed in recycled cardboard.',
  'Compact enough for small homes, generous enough for families.',
  'Replacement parts are available from our support team.',
];

/** About `count` products across twelve categories, with unique names and SKUs. */
export function generateProducts(random: Random, count: number): { rows: Row[]; products: ProductInfo[] } {
  const rows: Row[] = [];
  const products: ProductInfo[] = [];
  const seen = new Set<string>();
  for (let id = 1; id <= count; id++) {
    const category = CATEGORIES[(id - 1) % CATEGORIES.length] ?? CATEGORIES[0];
    if (category === undefined) throw new Error('no categories');
    let name = '';
    let item = '';
    if (id === 5) [name, item] = [RECALLED_PRODUCT, 'pedestal fan'];
    else if (id === count) [name, item] = [UNDERSCORE_PRODUCT, 'gift card'];
    for (let attempt = 0; name === '' || (seen.has(name) && attempt < 50); attempt++) {
      const picked = random.pick(category.items);
      item = picked.toLowerCase();
      name = `${random.pick(category.brands)} ${picked} ${random.pick(category.variants)}`;
    }
    if (seen.has(name)) name = `${name} #${id}`;
    seen.add(name);
    const price = Math.round((category.min + (category.max - category.min) * random.next() ** 2.2) * 100 - 1);
    const priceCents = Math.max(199, price - (price % 100) + 99 - (random.chance(0.3) ? 50 : 0));
    const launched = randomInstant(random, utc(2018, 1, 1), utc(2025, 6, 30));
    const discontinued = id === count || random.chance(0.08);
    const updated = randomInstant(random, launched, utc(2025, 12, 20));
    rows.push({
      ProductID: id,
      SKU: `${category.name.slice(0, 3).toUpperCase()}-${String(10000 + id * 7).padStart(6, '0')}`,
      Name: name,
      Category: id === count ? 'Gift Cards' : category.name,
      SupplierID: random.int(1, 40),
      Price: priceCents / 100,
      Cost: Math.round(priceCents * (0.35 + random.next() * 0.25)) / 100,
      WeightKg: Math.round((0.05 + random.next() ** 2 * 18) * 100) / 100,
      Description: `${name}. ${random.pick(DESCRIPTIONS)} ${random.pick(DESCRIPTIONS)}`,
      Discontinued: discontinued,
      LaunchDate: isoDate(launched),
      LastUpdated: isoDateTime(updated),
      UpdatedBy: random.pick(EDITORS),
      ThumbnailHash: random.chance(0.9) ? bytes(random, 16) : null,
      RowGuid: guid(random),
    });
    products.push({ id, name, item, category: category.name, priceCents, discontinued, popularity: 0.2 + random.next() ** 3 * 5 });
  }
  return { rows, products };
}
