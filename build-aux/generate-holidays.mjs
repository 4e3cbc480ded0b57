#!/usr/bin/env node
// Writes the public holidays of the built-in calendars as iCalendar files,
// src/core/model/data/holidays/<country>.ics, from the npm package
// date-holidays (code ISC, data CC BY-SA 3.0). The files are committed, so a
// build needs no network; run this again when a new year is wanted:
//
//   npm install --prefix /tmp/holidays date-holidays@3.37.0
//   NODE_PATH=/tmp/holidays/node_modules node build-aux/generate-holidays.mjs
//
// Each file covers whole years (X-SUPPORTDESK-YEARS): those are the years
// the calendar calls official. Mainland China is not generated: its
// schedule (with make-up working days) is the State Council's yearly
// notice, kept in src/core/model/data/cn-mainland.json.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Holidays = require('date-holidays');
const version = require('date-holidays/package.json').version;

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'core', 'model', 'data', 'holidays');

// country code, date-holidays arguments, years. Singapore's Islamic and
// Hindu holidays are announced a year ahead: only the years date-holidays
// lists them for are taken.
const countries = [
  ['hk', ['HK'], [2025, 2026, 2027]],
  ['tw', ['TW'], [2025, 2026, 2027]],
  ['sg', ['SG'], [2025, 2026]],
  ['jp', ['JP'], [2025, 2026, 2027]],
  ['kr', ['KR'], [2025, 2026, 2027]],
  ['de', ['DE'], [2025, 2026, 2027]],
  ['gb', ['GB', 'ENG'], [2025, 2026, 2027]],
  ['fr', ['FR'], [2025, 2026, 2027]],
  ['us', ['US'], [2025, 2026, 2027]],
  ['ca', ['CA', 'ON'], [2025, 2026, 2027]],
  ['au', ['AU', 'NSW'], [2025, 2026, 2027]],
];

const pad = (n) => String(n).padStart(2, '0');
const ymd = (d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const dayAfter = (d, n) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n));
const escape = (s) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,');

// Korea: date-holidays names only the main day of 설날 and 추석; the
// Public Holidays Act gives the day before and the day after too.
function korea(list) {
  const extra = [];
  for (const h of list) {
    if (/^(설날|추석)$/.test(h.name)) {
      extra.push({ day: dayAfter(h.day, -1), name: `${h.name} 연휴` });
      extra.push({ day: dayAfter(h.day, 1), name: `${h.name} 연휴` });
    }
  }
  return list.concat(extra);
}

// Corrections after checking against official sources (docs/calendars.md,
// "How the data was checked"): days date-holidays lacks, and days it
// lists that are not public holidays where the calendar applies.
const overrides = {
  // 行政院 115年 (2026) 政府行政機關辦公日曆表: the holidays added by the
  // 紀念日及節日實施條例 of 2025 (勞動節, 教師節, 光復節, 行憲紀念日) and the
  // 補假 of a holiday on a Saturday (the working day before) or a Sunday
  // (the working day after). 2027 (116年) has the same days by the same rule.
  tw: {
    add: [
      ['20260227', '和平紀念日 (補假)'], ['20260403', '兒童節 (補假)'], ['20260501', '勞動節'],
      ['20260928', '孔子誕辰紀念日 / 教師節'], ['20261009', '國慶日 (補假)'],
      ['20261025', '臺灣光復暨金門古寧頭大捷紀念日'], ['20261026', '臺灣光復暨金門古寧頭大捷紀念日 (補假)'],
      ['20261225', '行憲紀念日'],
      ['20270406', '兒童節 (補假)'], ['20270430', '勞動節 (補假)'], ['20270501', '勞動節'],
      ['20270928', '孔子誕辰紀念日 / 教師節'], ['20271025', '臺灣光復暨金門古寧頭大捷紀念日'],
      ['20271224', '行憲紀念日 (補假)'], ['20271225', '行憲紀念日'],
    ],
  },
  // 공직선거법 제34조 and 관공서의 공휴일에 관한 규정 제2조: the day of the
  // 9th nationwide local elections is a public holiday.
  kr: { add: [['20260603', '전국동시지방선거일']] },
  // Ontario's Employment Standards Act: Easter Monday is not a public
  // holiday (date-holidays lists it for Canada as a whole).
  ca: { remove: ['20260406', '20270329'] },
};

for (const [code, args, years] of countries) {
  const hd = new Holidays(...args, { types: ['public'] });
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//SupportDesk//generate-holidays.mjs date-holidays ${version}//EN`,
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${args.join('-')} public holidays`,
    `X-WR-CALDESC:Generated from date-holidays ${version} (data CC BY-SA 3.0\\, https://github.com/commenthol/date-holidays)`,
    `X-SUPPORTDESK-YEARS:${years.join('\\,')}`,
  ];
  for (const year of years) {
    let list = hd.getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => ({ day: new Date(`${h.date.slice(0, 10)}T00:00:00Z`), name: h.name }));
    if (code === 'kr')
      list = korea(list);
    const fix = overrides[code] ?? {};
    list = list.filter((h) => !(fix.remove ?? []).includes(ymd(h.day)))
      .concat((fix.add ?? []).filter(([d]) => d.startsWith(String(year)))
        .map(([d, name]) => ({ day: new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T00:00:00Z`), name })));
    const seen = new Map();
    for (const h of list) {
      const key = ymd(h.day);
      if (h.day.getUTCFullYear() !== year)
        continue;
      seen.set(key, seen.has(key) ? `${seen.get(key)} / ${h.name}` : h.name);
    }
    for (const key of [...seen.keys()].sort()) {
      const day = new Date(`${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6)}T00:00:00Z`);
      lines.push('BEGIN:VEVENT',
                 `UID:${key}-${code}@holidays.supportdesk.example.org`,
                 'DTSTAMP:20261205T000000Z',
                 `DTSTART;VALUE=DATE:${key}`,
                 `DTEND;VALUE=DATE:${ymd(dayAfter(day, 1))}`,
                 `SUMMARY:${escape(seen.get(key))}`,
                 'TRANSP:TRANSPARENT',
                 'END:VEVENT');
    }
  }
  lines.push('END:VCALENDAR');
  writeFileSync(join(out, `${code}.ics`), lines.join('\r\n') + '\r\n');
  console.log(`${code}.ics: ${years.join(', ')}`);
}
