import type { Random } from '../prng.ts';
import type { Row } from '../tsql.ts';
import { COMPANY_SUFFIXES, COMPANY_TRADES, COMPANY_WORDS, COUNTRIES, FIRST_NAMES, LAST_NAMES } from './names.ts';
import { DAY, guid, isoDate, isoDateTime, isoTime, randomInstant, utc } from './dates.ts';

export interface EmployeeInfo {
  id: number;
  departmentId: number;
  name: string;
}

export interface CustomerInfo {
  id: number;
  name: string;
  firstName: string;
  city: string;
  country: string;
  offset: number;
  createdAt: number;
  business: boolean;
  /** Customers who never ordered (a few exist, as in any shop). */
  dormant: boolean;
}

/** Department 3 is Customer Support: the corpora filter on it, and tickets are assigned there. */
export const DEPARTMENTS = [
  {
    id: 1,
    name: 'Executive Office',
    cc: 'CC-100',
    location: 'Lyon HQ',
    budget: 1_200_000,
    size: 4,
    titles: ['Chief Operating Officer', 'Chief Financial Officer', 'Executive Assistant'],
  },
  {
    id: 2,
    name: 'Sales',
    cc: 'CC-210',
    location: 'Lyon HQ',
    budget: 2_400_000,
    size: 16,
    titles: ['Account Manager', 'Inside Sales Representative', 'Key Account Manager'],
  },
  {
    id: 3,
    name: 'Customer Support',
    cc: 'CC-320',
    location: 'Lille Contact Centre',
    budget: 1_900_000,
    size: 30,
    titles: ['Support Agent', 'Senior Support Agent', 'Support Team Lead'],
  },
  {
    id: 4,
    name: 'Warehouse & Logistics',
    cc: 'CC-430',
    location: 'Mâcon Distribution Centre',
    budget: 3_100_000,
    size: 26,
    titles: ['Warehouse Operative', 'Forklift Driver', 'Shift Supervisor', 'Returns Clerk'],
  },
  {
    id: 5,
    name: 'Finance',
    cc: 'CC-540',
    location: 'Lyon HQ',
    budget: 900_000,
    size: 8,
    titles: ['Accountant', 'Billing Specialist', 'Payments Analyst'],
  },
  {
    id: 6,
    name: 'Marketing',
    cc: 'CC-650',
    location: 'Paris Studio',
    budget: 1_600_000,
    size: 9,
    titles: ['Marketing Manager', 'Content Writer', 'Performance Marketer'],
  },
  {
    id: 7,
    name: 'IT',
    cc: 'CC-760',
    location: 'Lyon HQ',
    budget: 1_300_000,
    size: 11,
    titles: ['Software Engineer', 'Database Administrator', 'Service Desk Analyst'],
  },
  {
    id: 8,
    name: 'Human Resources',
    cc: 'CC-870',
    location: 'Lyon HQ',
    budget: 500_000,
    size: 5,
    titles: ['HR Business Partner', 'Recruiter', 'Payroll Officer'],
  },
  {
    id: 9,
    name: 'Purchasing',
    cc: 'CC-980',
    location: 'Lyon HQ',
    budget: 700_000,
    size: 7,
    titles: ['Buyer', 'Category Manager', 'Supplier Quality Engineer'],
  },
  {
    id: 10,
    name: 'Retail Stores',
    cc: 'CC-990',
    location: 'Store network',
    budget: 4_200_000,
    size: 34,
    titles: ['Sales Associate', 'Store Manager', 'Cashier', 'Visual Merchandiser'],
  },
] as const;

export function departmentRows(): Row[] {
  return DEPARTMENTS.map((d) => ({ DepartmentID: d.id, Name: d.name, CostCenter: d.cc, Location: d.location, AnnualBudget: d.budget }));
}

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/[' ]/g, '')
    .toLowerCase();

/**
 * Employees with a reporting tree: 1 is the chief executive, the first person of each department
 * is its head (reporting to 1), and everyone else reports to their head or a team lead hired earlier.
 */
export function generateEmployees(random: Random): { rows: Row[]; salaries: Row[]; employees: EmployeeInfo[] } {
  const rows: Row[] = [];
  const salaries: Row[] = [];
  const employees: EmployeeInfo[] = [];
  let id = 0;
  for (const dept of DEPARTMENTS) {
    const members: number[] = [];
    for (let i = 0; i < dept.size; i++) {
      id += 1;
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const ceo = id === 1;
      const head = i === 0;
      const manager = ceo ? null : head ? 1 : random.chance(0.6) ? (members[0] ?? 1) : random.pick(members.slice(0, 3));
      const title = ceo ? 'Chief Executive Officer' : head ? `Head of ${dept.name}` : random.pick(dept.titles);
      const hired = ceo
        ? utc(2012, 3, 1)
        : head
          ? randomInstant(random, utc(2013, 1, 1), utc(2018, 12, 31))
          : randomInstant(random, utc(2015, 1, 1), utc(2025, 9, 30));
      const left = !head && random.chance(0.08) ? hired + random.int(200, 1400) * DAY : null;
      const leftDate = left !== null && left < utc(2025, 12, 1) ? left : null;
      const base = ceo
        ? 185_000
        : head
          ? random.int(85, 130) * 1000
          : dept.id === 7
            ? random.int(48, 82) * 1000
            : random.int(28, 60) * 1000;
      let salary = base;
      let when = hired;
      let history = 0;
      salaries.push({ EmployeeID: id, EffectiveDate: isoDate(hired), Salary: salary, ChangeReason: 'Hired' });
      while (when + 365 * DAY < (leftDate ?? utc(2025, 12, 31)) && history < 6) {
        when += 365 * DAY;
        history += 1;
        const promotion = random.chance(0.12);
        salary = Math.round(salary * (promotion ? 1.08 + random.next() * 0.07 : 1.015 + random.next() * 0.025));
        salaries.push({
          EmployeeID: id,
          EffectiveDate: isoDate(when),
          Salary: salary,
          ChangeReason: promotion ? 'Promotion' : 'Annual review',
        });
      }
      rows.push({
        EmployeeID: id,
        FirstName: first,
        LastName: last,
        Email: `${ascii(first)}.${ascii(last)}${id}@retail.example`,
        JobTitle: title,
        DepartmentID: dept.id,
        ManagerID: manager,
        HireDate: isoDate(hired),
        TerminationDate: leftDate === null ? null : isoDate(leftDate),
        Salary: salary,
        ShiftStart: isoTime(random.pick([7, 8, 8, 9, 9, 9, 10, 12, 14]), random.pick([0, 0, 30])),
        IsActive: leftDate === null,
      });
      members.push(id);
      employees.push({ id, departmentId: dept.id, name: `${first} ${last}` });
    }
  }
  return { rows, salaries: salaries.map((s, i) => ({ SalaryHistoryID: i + 1, ...s })), employees };
}

/** Customers: about 85% people, the rest businesses; a few dormant accounts never order. */
export function generateCustomers(random: Random, count: number): { rows: Row[]; customers: CustomerInfo[] } {
  const rows: Row[] = [];
  const customers: CustomerInfo[] = [];
  const countries = COUNTRIES.map((c) => [c, c.weight] as const);
  for (let id = 1; id <= count; id++) {
    const country = random.weighted(countries);
    const city = random.pick(country.cities);
    const business = random.chance(0.15);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    let name = business
      ? `${random.pick(COMPANY_WORDS)} ${random.pick(COMPANY_TRADES)} ${random.pick(COMPANY_SUFFIXES)}`
      : `${firstName} ${lastName}`;
    if (id === 7) name = 'Hartley Supplies -- DO NOT USE';
    const createdAt = randomInstant(random, utc(2019, 1, 1), utc(2025, 6, 30));
    const deleted = id === 7 || random.chance(0.03);
    const mail = business
      ? `orders@${name.split(' ')[0]?.toLowerCase()}.example`
      : `${ascii(firstName)}.${ascii(lastName)}${id}@mail.example`;
    rows.push({
      CustomerID: id,
      Name: name,
      Email: deleted && random.chance(0.5) ? null : mail,
      Phone: random.chance(0.8) ? `+${random.int(30, 49)} ${random.int(100, 999)} ${random.int(100000, 999999)}` : null,
      City: city,
      Country: country.name,
      CountryCode: country.code,
      CustomerType: business ? 'Business' : 'Person',
      LoyaltyTier: random.weighted([
        [0, 55],
        [1, 25],
        [2, 15],
        [3, 5],
      ]),
      CreatedAt: isoDateTime(createdAt),
      DeletedFlag: deleted,
      RowGuid: guid(random),
    });
    customers.push({
      id,
      name,
      firstName,
      city,
      country: country.name,
      offset: country.offset,
      createdAt,
      business,
      dormant: deleted || random.chance(0.04),
    });
  }
  return { rows, customers };
}

/** Suppliers of the catalogue. */
export function generateSuppliers(random: Random, count: number): Row[] {
  const rows: Row[] = [];
  for (let id = 1; id <= count; id++) {
    const word = random.pick(COMPANY_WORDS);
    const country = random.weighted(COUNTRIES.map((c) => [c, c.weight] as const));
    rows.push({
      SupplierID: id,
      Name: `${word} ${random.pick(['Manufacturing', 'Trading', 'Wholesale', 'Industries', 'Imports', 'Works'])} ${random.pick(COMPANY_SUFFIXES)}`,
      Country: country.name,
      ContactEmail: `purchasing${id}@${word.toLowerCase()}-supply.example`,
      ReliabilityScore: Math.round((0.78 + random.next() * 0.21) * 1000) / 1000,
      IsPreferred: random.chance(0.3),
    });
  }
  return rows;
}
