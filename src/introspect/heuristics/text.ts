/**
 * Text columns by name: e-mails, user names, secrets, people's names, addresses, URLs, companies,
 * codes, slugs, statuses, titles and prose; unique ones made unique from the row index; every
 * value clipped to the column's length.
 */
import type { Choice, ColumnFacts } from './facts.js';
import { capacityOf, maxLength, PERSON_TABLE, q } from './facts.js';

/** `createdAt` → `created_at` (Prisma and other camelCase schemas read like snake_case ones). */
export const snake = (name: string): string => name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_').toLowerCase();

/** Text columns: by name first, then a generic phrase; clipped to the length the type allows. */
export function text(f: ColumnFacts): Choice {
  const n = snake(f.name);
  const max = maxLength(f);
  const maxArg = Number.isFinite(max) ? max : 1_000_000;
  const minLen = f.rule.minLength ?? 0;
  const fitted = (e: string): string => (Number.isFinite(max) ? `fit(${e}, ${max})` : e);
  const firstCol = [...f.earlier.keys()].find((k) => /^(first_?name|given_name|fname)$/.test(snake(k)));
  const lastCol = [...f.earlier.keys()].find((k) => /^(last_?name|surname|family_name|lname)$/.test(snake(k)));
  const first = firstCol ? `c.row.${firstCol}` : 'c.faker.person.firstName()';
  const last = lastCol ? `c.row.${lastCol}` : 'c.faker.person.lastName()';
  const isPerson = PERSON_TABLE.test(f.table.toLowerCase());
  const addressy = f.tableColumns.some((c) => /(^|_)(city|zip|zipcode|postal_code|postcode|country|street)$/.test(c));
  const u = f.unique;
  const uniqueOut = (base: string, sep = ' '): Choice => ({ code: `uniq(${base}, c.i, ${maxArg}${sep !== ' ' ? `, ${q(sep)}` : ''}${minLen > 1 && max < 12 ? '' : ''})`, capacity: capacityOf(max) });

  // Identity-like strings.
  if (/(^|_)e?mail(_address)?$|^email/.test(n)) return { code: `email(${first}, ${last}, ${u ? 'c.i' : 'null'}, ${Math.min(254, maxArg)})`, ...(u ? { capacity: capacityOf(max - 13) } : {}) };
  if (/^(user_?name|login|handle|nickname|screen_name|nick)$/.test(n)) return { code: `username(${first}, ${last}, ${u ? 'c.i' : 'null'}, ${Math.min(64, maxArg)})`, ...(u ? { capacity: capacityOf(max - 3) } : {}) };
  if (/(password|passwd|pass_hash|password_digest|encrypted_password|hashed_password)/.test(n)) return { code: fitted(`'$2b$10$' + c.faker.string.alphanumeric(53)`), secret: true, ...(u ? uniqueOut(`'$2b$10$' + c.faker.string.alphanumeric(40)`) : {}) };
  if (/(secret|api_key|access_token|refresh_token|private_key|signing_key)$/.test(n)) return u ? { ...uniqueOut(`c.faker.string.alphanumeric(${Math.min(32, Math.max(8, maxArg - 8))})`, '_'), secret: true } : { code: `c.faker.string.alphanumeric(${Math.min(40, maxArg)})`, secret: true };
  if (/(^|_)(hash|checksum|sha1|sha256|md5|digest|fingerprint|etag)$/.test(n)) return u ? uniqueOut(`c.faker.string.hexadecimal({ length: ${Math.min(32, Math.max(4, maxArg - 10))}, casing: 'lower', prefix: '' })`, '-') : { code: `c.faker.string.hexadecimal({ length: ${Math.min(64, maxArg)}, casing: 'lower', prefix: '' })` };
  if (/(token|session_token|session_key|nonce)$/.test(n)) return u ? uniqueOut(`c.faker.string.alphanumeric(${Math.min(24, Math.max(4, maxArg - 10))})`, '-') : { code: `c.faker.string.alphanumeric(${Math.min(32, maxArg)})` };

  // Names of people.
  if (/^(first_?name|given_name|fname|middle_name)$/.test(n)) return text1(u, fitted('c.faker.person.firstName()'), maxArg);
  if (/^(last_?name|surname|family_name|lname)$/.test(n)) return text1(u, fitted('c.faker.person.lastName()'), maxArg);
  if (/^(full_?name|display_name|contact_name|author_name|customer_name|person_name|real_name|legal_name)$/.test(n) || (n === 'name' && isPerson)) {
    const e = firstCol && lastCol ? `\`\${${first}} \${${last}}\`` : 'c.faker.person.fullName()';
    return text1(u, fitted(e), maxArg);
  }
  // Addresses.
  if (/^(phone|phone_number|mobile|mobile_phone|cell|cellphone|telephone|tel|fax|work_phone|home_phone|contact_phone)$|_phone$/.test(n)) return text1(u, fitted(`c.faker.phone.number({ style: 'national' })`), maxArg);
  if (/^(street|address|address1|address_1|address_line1|address_line_1|street_address|line1|line_1|billing_address|shipping_address|street_line)$/.test(n)) return text1(u, fitted('c.faker.location.streetAddress()'), maxArg);
  if (/^(address2|address_2|address_line2|address_line_2|line2|line_2|suite|apartment|unit)$/.test(n)) return text1(u, fitted('c.faker.location.secondaryAddress()'), maxArg);
  if (/(^|_)(city|town)$/.test(n)) return text1(u, fitted('c.faker.location.city()'), maxArg);
  if (/(^|_)(state|province|region|county)$/.test(n) && (addressy || n !== 'state')) return text1(u, fitted(`c.faker.location.state(${max <= 3 ? '{ abbreviated: true }' : ''})`), maxArg);
  if (/(^|_)(zip|zipcode|zip_code|postal_code|postcode|post_code)$/.test(n)) return text1(u, fitted(`c.faker.location.zipCode(${max < 10 ? "'#####'" : ''})`), maxArg);
  if (/(^|_)country_?(code|iso)$/.test(n) || (n === 'country' && max <= 3)) return text1(u, `c.faker.location.countryCode(${max === 3 ? "'alpha-3'" : "'alpha-2'"})`, maxArg);
  if (/(^|_)country(_name)?$/.test(n)) return text1(u, fitted('c.faker.location.country()'), maxArg);
  // Web.
  if (/(avatar|image|photo|picture|thumbnail|logo|icon)(_url|_uri|_src)?$/.test(n)) return { code: fitted(`\`https://img.example.com/${f.table}/\${c.i + 1}.jpg\``), ...(u ? { capacity: Number.MAX_SAFE_INTEGER } : {}) };
  if (/(^|_)(url|uri|link|href|website|homepage|web_site|site)$/.test(n)) {
    if (u) return { code: fitted(`\`https://\${c.faker.internet.domainName()}/\${c.i + 1}\``), capacity: capacityOf(max - 30) };
    return { code: fitted(`\`https://\${c.faker.internet.domainName()}/\${c.faker.word.noun()}\``) };
  }
  if (/(^|_)(domain|hostname|host|domain_name)$/.test(n)) return u ? { code: `\`\${c.faker.internet.domainWord()}\${c.i + 1}.example.com\``, capacity: capacityOf(max - 14) } : { code: fitted('c.faker.internet.domainName()') };
  if (/(^|_)(ip|ip_address|ipaddress|remote_addr|client_ip|last_login_ip)$/.test(n)) return { code: u ? 'ipv4(c.rng, c.i)' : 'ipv4(c.rng)', ...(u ? { capacity: 1 << 24 } : {}) };
  if (/user_agent$/.test(n)) return text1(u, fitted('c.faker.internet.userAgent()'), maxArg);
  // Organisations and work.
  if (/^(company|company_name|organization|organisation|organization_name|employer|vendor|vendor_name|supplier|supplier_name|business_name|brand)$/.test(n)) return text1(u, fitted('c.faker.company.name()'), maxArg);
  if (/^(job_title|job|occupation|position_title|role_title|designation)$/.test(n) || (n === 'title' && /(employee|staff|person|people|user|member|contact|job|position)/.test(f.table))) return text1(u, fitted('c.faker.person.jobTitle()'), maxArg);
  if (/^(department|department_name|team_name)$/.test(n)) return text1(u, fitted('c.faker.commerce.department()'), maxArg);
  // Codes and identifiers.
  if (/^slug$|_slug$/.test(n)) return u ? { code: `uniq(slug(c.faker.lorem.words(3), '-'), c.i, ${maxArg}, '-')`, capacity: capacityOf(max) } : { code: fitted(`slug(c.faker.lorem.words(3), '-')`) };
  if (/^(code|sku|key|ref|reference|serial|serial_number|barcode|isbn|ean|upc|tracking_number|order_number|invoice_number|number|confirmation|confirmation_code|voucher|coupon|coupon_code|promo_code|account_number|external_id|processor_ref|identifier)$|(_code|_number|_ref|_key|_no)$/.test(n)) {
    if (u) return { code: `code(c.rng, c.i, ${maxArg}${minLen > 1 ? `, ${minLen}` : ''})`, capacity: capacityOf(max) };
    return { code: `code(c.rng, null, ${maxArg}${minLen > 1 ? `, ${minLen}` : ''})` };
  }
  // Everyday attributes.
  if (/(^|_)(colou?r)$/.test(n)) return text1(u, fitted('c.faker.color.human()'), maxArg);
  if (/(^|_)currency(_code)?$/.test(n)) return text1(u, 'c.faker.finance.currencyCode()', maxArg);
  if (/(^|_)(locale|language|lang|language_code)$/.test(n)) return text1(u, fitted(`c.rng.pick(['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP', 'nl-NL'])`), maxArg);
  if (/(^|_)(timezone|time_zone|tz)$/.test(n)) return text1(u, fitted('c.faker.location.timeZone()'), maxArg);
  if (/(mime|mime_type|content_type|media_type|file_type)$/.test(n)) return text1(u, fitted('c.faker.system.mimeType()'), maxArg);
  if (/(file_?name|attachment_name|original_name)$/.test(n)) return text1(u, fitted('c.faker.system.fileName()'), maxArg);
  if (/(^|_)(path|file_path|filepath)$/.test(n)) return text1(u, fitted('c.faker.system.filePath()'), maxArg);
  if (/(^|_)(version|app_version)$/.test(n)) return text1(u, fitted('`${c.rng.int(0, 9)}.${c.rng.int(0, 30)}.${c.rng.int(0, 99)}`'), maxArg);
  if (/^(gender|sex)$/.test(n)) return text1(u, fitted(`c.rng.weighted([['female', 48], ['male', 48], ['nonbinary', 4]])`), maxArg);
  if (/^(status|state)$|_status$/.test(n)) return text1(u, fitted(`c.rng.weighted([['active', 8], ['pending', 2], ['inactive', 1]])`), maxArg);
  if (/^(type|kind|category|entity_type|object_type|resource_type|subject_type|target_type)$|_type$/.test(n)) {
    const e = /entity|object|resource|subject|target/.test(n) ? `c.rng.pick(['order', 'user', 'product', 'invoice', 'project', 'task'])` : 'c.faker.word.noun()';
    return text1(u, fitted(e), maxArg);
  }
  if (/^(action|event|event_name|event_type|verb|activity)$/.test(n) || (n === 'name' && /event|activity|audit|log/.test(f.table))) return text1(u, fitted(`c.rng.pick(['created', 'updated', 'deleted', 'viewed', 'signed_in', 'exported', 'shared', 'commented'])`), maxArg);
  if (/(^|_)(entity_id|object_id|resource_id|subject_id|target_id|record_id)$/.test(n)) return text1(u, 'String(c.rng.int(1, 100000))', maxArg);
  if (/(^|_)(iban)$/.test(n)) return text1(u, fitted('c.faker.finance.iban()'), maxArg);
  if (/(card_number|credit_card|cc_number)$/.test(n)) return text1(u, fitted('c.faker.finance.creditCardNumber()'), maxArg);
  if (/(^|_)(carrier)$/.test(n)) return text1(u, fitted(`c.rng.pick(['UPS', 'FedEx', 'DHL', 'USPS'])`), maxArg);
  if (/(^|_)(tags?|labels?|keywords?)$/.test(n)) return text1(u, fitted('c.faker.word.noun()'), maxArg);
  // Titles and prose.
  if (/^(title|headline|subject|heading|caption_title|subtitle|summary_title)$|_title$/.test(n)) return text1(u, fitted('title(c.text.sentence(2, 6))'), maxArg);
  if (/^(name|label|display)$|_name$|_label$/.test(n)) return text1(u, fitted(nameFor(f.table)), maxArg);
  if (/(description|summary|about|bio|biography|notes?|comments?|remarks|details|excerpt|caption|reason|feedback|instructions|abstract|review|answer|question|message|explanation|memo|purpose|alt_text|alt)$/.test(n)) {
    const e = max <= 40 ? 'c.text.sentence(2, 5)' : 'c.text.sentence(6, 16)';
    return text1(u, fitted(e), maxArg, minLen);
  }
  if (/^(body|content|text|html|markdown|post|article|message_body|description_long|transcript)$|_(body|content|text|html|markdown)$/.test(n)) {
    const e = max <= 200 ? 'c.text.sentence(6, 16)' : 'c.text.paragraph(1, 4)';
    return text1(u, fitted(e), maxArg, minLen);
  }
  // Anything else: a short phrase (or a word for short columns).
  const e = max <= 12 ? 'c.text.word()' : max <= 40 ? `c.text.words_(${max <= 20 ? 1 : 2})` : 'c.text.sentence(2, 6)';
  return text1(u, fitted(e), maxArg, minLen);
}

export function text1(unique: boolean, code: string, max: number, minLen = 0): Choice {
  if (unique) return { code: `uniq(${code}, c.i, ${max})`, capacity: capacityOf(max) };
  if (minLen > 1) return { code: `padTo(${code}, ${minLen})` };
  return { code };
}

/** A `name` for a row of `table` (no person table): product names, companies, genres, … */
export function nameFor(table: string): string {
  const t = table.toLowerCase();
  if (/(product|item|sku|article|good|merchandise)/.test(t)) return 'c.faker.commerce.productName()';
  if (/(compan|organi[sz]ation|supplier|vendor|brand|manufacturer|client|partner|merchant|firm|tenant)/.test(t)) return 'c.faker.company.name()';
  if (/genre/.test(t)) return 'c.faker.music.genre()';
  if (/(artist|band|performer)/.test(t)) return 'c.faker.music.artist()';
  if (/album/.test(t)) return 'c.faker.music.album()';
  if (/(track|song)/.test(t)) return 'c.faker.music.songName()';
  if (/(book|novel|publication)/.test(t)) return 'c.faker.book.title()';
  if (/(city|cities|town)/.test(t)) return 'c.faker.location.city()';
  if (/countr/.test(t)) return 'c.faker.location.country()';
  if (/(department|division)/.test(t)) return 'c.faker.commerce.department()';
  if (/(categor|tag|label|topic|genre|keyword|kind|type|method|queue|role|skill|feature|flag|permission|scope)/.test(t)) return 'title(c.faker.word.noun())';
  if (/(team|group|project|workspace|channel|board|playlist|collection|list|space|squad|unit|warehouse|location|site|store|shop|office|venue)/.test(t)) return "title(`${c.faker.word.adjective()} ${c.faker.word.noun()}`)";
  return "title(`${c.faker.word.adjective()} ${c.faker.word.noun()}`)";
}
