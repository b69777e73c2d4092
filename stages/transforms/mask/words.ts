/**
 * Word lists the pseudonyms are drawn from. Invented or common names, reserved domains (RFC 2606);
 * free text is made of syllables, so a pseudonym never repeats a word of ordinary prose by design.
 */
export const FIRST = [
  'Ada', 'Alva', 'Amir', 'Anouk', 'Aria', 'Basil', 'Bela', 'Bram', 'Cato', 'Cleo', 'Dara', 'Dax', 'Edda', 'Elio', 'Enzo', 'Esme',
  'Faro', 'Fenna', 'Gio', 'Greta', 'Hale', 'Ilse', 'Ines', 'Ivo', 'Jaro', 'Juno', 'Kai', 'Kira', 'Lior', 'Lumi', 'Mads', 'Mira',
  'Nell', 'Nico', 'Noor', 'Odin', 'Olea', 'Orla', 'Pax', 'Pia', 'Quin', 'Rafa', 'Rhea', 'Runa', 'Sami', 'Sela', 'Soren', 'Tova',
  'Tycho', 'Uma', 'Vale', 'Vera', 'Wren', 'Xavi', 'Yara', 'Yuki', 'Zane', 'Zora', 'Alba', 'Bodhi', 'Cyra', 'Dorian', 'Elin', 'Fiadh',
];
export const LAST = [
  'Abara', 'Bellweather', 'Castellan', 'Dunmore', 'Eskildsen', 'Farrow', 'Galloway', 'Halloran', 'Ishikawa', 'Jovanka', 'Kestrel',
  'Lindqvist', 'Marlowe', 'Nakamura', 'Okonkwo', 'Pemberton', 'Quillan', 'Ravensworth', 'Sandoval', 'Thorsen', 'Ulloa', 'Vantongeren',
  'Whitlock', 'Xiong', 'Yarrow', 'Zielinski', 'Arkwright', 'Blackwood', 'Corvin', 'Delacroix', 'Everhart', 'Fairbairn', 'Greenhalgh',
  'Holloway', 'Ingram', 'Juniper', 'Kowalczyk', 'Lockhart', 'Mirabel', 'Northcott', 'Oyelaran', 'Pennywhistle', 'Quarrington',
  'Rosendahl', 'Silvermane', 'Tamsin', 'Underhill', 'Valcourt', 'Winterbourne', 'Yamasaki', 'Zamora', 'Ashdown', 'Brightwater',
];
export const CITIES = [
  'Port Alder', 'Brightmoor', 'Eastwick', 'Fallowmere', 'Glenrock', 'Harrowgate', 'Ivybridge', 'Juniper Falls', 'Kingsreach',
  'Lowmarsh', 'Millbrook', 'Northfield', 'Oakhollow', 'Pinecrest', 'Queensbury', 'Riverbend', 'Stonebridge', 'Thornbury', 'Upton Vale',
  'Westmere', 'Yarrowdale', 'Ashford Cross', 'Coldwater', 'Duncliff',
];
export const STREETS = ['Alder', 'Birch', 'Cedar', 'Elm', 'Hawthorn', 'Juniper', 'Larch', 'Maple', 'Oak', 'Rowan', 'Spruce', 'Willow', 'Harbour', 'Mill', 'Orchard', 'Quarry'];
export const SUFFIXES = ['Street', 'Road', 'Lane', 'Avenue', 'Way', 'Close', 'Row', 'Court'];
export const TLDS = ['com', 'net', 'org'];
/** Syllables of free-text pseudo words (consonant + vowel), so words can be made of any length. */
export const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo'.split(' ');
