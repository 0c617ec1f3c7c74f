/** Name and place vocabulary for people, companies and addresses; all invented combinations. */

export const FIRST_NAMES = [
  'Anna', 'Lucas', 'Emma', 'Noah', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Jules', 'Sofia', 'Mateo', 'Lucía', 'Pablo',
  'Marta', 'Javier', 'Giulia', 'Marco', 'Chiara', 'Luca', 'Mia', 'Felix', 'Lena', 'Jonas', 'Hannah', 'Paul', 'Jana',
  'Lukas', 'Sophie', 'Maximilian', 'Olivia', 'Jack', 'Amelia', 'Oliver', 'Isla', 'Harry', 'Freya', 'George', 'Aoife',
  'Seán', 'Sinéad', 'Eoin', 'Inês', 'João', 'Beatriz', 'Tiago', 'Zofia', 'Jakub', 'Łukasz', 'Agnieszka', 'Astrid',
  'Erik', 'Ingrid', 'Lars', 'Freja', 'Mads', 'Sanne', 'Daan', 'Femke', 'Bram', 'Elise', 'Thomas', 'Zoë', 'José',
  'Camille', 'Antoine', 'Margaux', 'Théo', 'Nadia', 'Omar', 'Yasmin', 'Karim', 'Amira', 'Ravi', 'Priya', 'Mei', 'Kenji',
  'Grace', 'Daniel', 'Emily', 'Michael', 'Sarah', 'David', 'Laura', 'Ben', 'Alice', 'Adrian', 'Aurelia', 'Anouk',
];

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Lefebvre', 'Moreau', 'Laurent', 'Girard', 'Fontaine', 'Rousseau', 'Müller', 'Schmidt',
  'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'García', 'Fernández', 'López', 'Martínez',
  'Sánchez', 'Romero', 'Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Smith', 'Jones', 'Taylor', 'Brown',
  'Wilson', 'Evans', 'Thomas', 'Murphy', 'Kelly', "O'Brien", "O'Sullivan", 'Walsh', 'Silva', 'Santos', 'Ferreira',
  'Pereira', 'Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Andersson', 'Johansson', 'Nilsson', 'Larsen', 'Nielsen',
  'Jensen', 'de Vries', 'van Dijk', 'Bakker', 'Janssens', 'Peeters', 'Maes', 'Gruber', 'Huber', 'Keller', 'Meier',
  'Haddad', 'Benali', 'Patel', 'Nakamura', 'Chen', 'Okafor', 'Novak', 'Horvat', 'Dumont', 'Lambert', 'Marchetti',
  'Ashworth', 'Abernathy', 'Alvarez', 'Castellanos-Whitfield', 'Underwood', 'Vasquez',
];

/** Countries with their ISO codes, cities, the time-zone offset we use for them, and a weight. */
export const COUNTRIES: readonly { name: string; code: string; offset: number; weight: number; cities: string[] }[] = [
  { name: 'France', code: 'FR', offset: 60, weight: 22, cities: ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Nantes', 'Bordeaux', 'Lille', 'Strasbourg'] },
  { name: 'Germany', code: 'DE', offset: 60, weight: 20, cities: ['Berlin', 'München', 'Hamburg', 'Köln', 'Frankfurt am Main', 'Stuttgart', 'Düsseldorf', 'Leipzig'] },
  { name: 'Spain', code: 'ES', offset: 60, weight: 10, cities: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao', 'Málaga'] },
  { name: 'Italy', code: 'IT', offset: 60, weight: 9, cities: ['Roma', 'Milano', 'Torino', 'Napoli', 'Bologna', 'Firenze'] },
  { name: 'Netherlands', code: 'NL', offset: 60, weight: 7, cities: ['Amsterdam', 'Rotterdam', 'Utrecht', 'Den Haag', 'Eindhoven'] },
  { name: 'Belgium', code: 'BE', offset: 60, weight: 5, cities: ['Brussels', 'Antwerpen', 'Gent', 'Liège', 'Brugge'] },
  { name: 'United Kingdom', code: 'GB', offset: 0, weight: 9, cities: ['London', 'Manchester', 'Leeds', 'Bristol', 'Edinburgh', 'Glasgow'] },
  { name: 'Ireland', code: 'IE', offset: 0, weight: 3, cities: ['Dublin', 'Cork', 'Galway'] },
  { name: 'Portugal', code: 'PT', offset: 0, weight: 3, cities: ['Lisboa', 'Porto', 'Braga'] },
  { name: 'Poland', code: 'PL', offset: 60, weight: 4, cities: ['Warszawa', 'Kraków', 'Gdańsk', 'Wrocław', 'Poznań'] },
  { name: 'Sweden', code: 'SE', offset: 60, weight: 2, cities: ['Stockholm', 'Göteborg', 'Malmö'] },
  { name: 'Denmark', code: 'DK', offset: 60, weight: 2, cities: ['København', 'Aarhus', 'Odense'] },
  { name: 'Austria', code: 'AT', offset: 60, weight: 2, cities: ['Wien', 'Graz', 'Salzburg', 'Linz'] },
  { name: 'Switzerland', code: 'CH', offset: 60, weight: 1, cities: ['Zürich', 'Genève', 'Basel', 'Bern'] },
  { name: 'United States', code: 'US', offset: -300, weight: 1, cities: ['New York', 'Chicago', 'Boston', 'Seattle'] },
];

/** Parts of invented company names for business customers and suppliers. */
export const COMPANY_WORDS = [
  'Alder', 'Amberline', 'Arden', 'Atlas', 'Beacon', 'Birchwood', 'Bluefield', 'Brightwater', 'Cobalt', 'Copperleaf',
  'Crestview', 'Driftwood', 'Elmstead', 'Evergreen', 'Fairhaven', 'Foxglove', 'Granite', 'Greenway', 'Harbour',
  'Hollybrook', 'Ironbridge', 'Juniper', 'Kestrel', 'Lakeside', 'Larkspur', 'Meadowlark', 'Millbrook', 'Northgate',
  'Oakridge', 'Orchard', 'Pinecrest', 'Quarry', 'Redstone', 'Riverside', 'Rosewood', 'Saltmarsh', 'Silverline',
  'Stonegate', 'Summit', 'Thistle', 'Timberline', 'Waverly', 'Westbrook', 'Willowmere',
];
export const COMPANY_TRADES = [
  'Garden Supplies', 'Office Solutions', 'Hospitality Group', 'Interiors', 'Kindergarten', 'Dental Practice', 'Builders',
  'Sports Club', 'Café', 'Hotel', 'Design Studio', 'Architects', 'Bakery', 'Pet Care', 'School Association', 'Events',
];
export const COMPANY_SUFFIXES = ['Ltd', 'GmbH', 'SARL', 'S.L.', 'S.r.l.', 'B.V.', 'AB', 'ApS', 'Sp. z o.o.', 'AG', 'SAS'];
