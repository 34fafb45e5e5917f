import { Random, WeightedPicker, zipfWeights } from './random';

/**
 * The words the generator builds its public data from: region codes, languages,
 * hashtags, effects, names, descriptions, speech and comments. Lists are
 * constants; the draws take a Random, so the output depends only on the seed.
 */

/** Every region code the video query accepts, in the page's order (docs/research/research-api.md §2). */
export const REGION_CODES: readonly string[] = (
  'FR TH MM BD IT NP IQ BR US KW VN AR KZ GB UA TR ID PK NG KH PH EG QA MY ES JO MA SA TW AF EC MX BW JP ' +
  'LT TN RO LY IL DZ CG GH DE BJ SN SK BY NL LA BE DO TZ LK NI LB IE RS HU PT GP CM HN FI GA BN SG BO GM ' +
  'BG SD TT OM FO MZ ML UG RE PY GT CI SR AO AZ LR CD HR SV MV GY BH TG SL MK KE MT MG MR PA IS LU HT TM ' +
  'ZM CR NO AL ET GW AU KR UY JM DK AE MD SE MU SO CO AT GR UZ CL GE PL CA CZ ZA AI VE KG PE CH LV PR NZ ' +
  'TL BT MN FJ SZ VU BF TJ BA AM TD SI CY MW EE XK ME KY YE LS ZW MC GN BS PF NA VI BB BZ CW PS FM PG BI ' +
  'AD TV GL KM AW TC CV MO VC NE WS MP DJ RW AG GI GQ AS AX TO KN LC NC LI SS IR SY IM SC VG SB DM KI UM ' +
  'SX GD MH BQ YT ST CF BM SM PW GU HK IN CK AQ WF JE MQ CN GF MS GG TK FK PM NU MF ER NF VA IO SH BL CU ' +
  'NR TP BV EH PN TF RU'
).split(' ');

/**
 * Relative weight of the big markets (rough audience sizes, in tens of
 * millions); every other listed code weighs SMALL_MARKET_WEIGHT.
 */
const MARKET_WEIGHTS: Readonly<Record<string, number>> = {
  US: 15,
  ID: 11,
  BR: 9,
  MX: 7,
  VN: 6,
  PK: 5,
  PH: 5,
  TH: 4.5,
  RU: 4,
  TR: 3.5,
  EG: 3.5,
  SA: 3,
  GB: 3,
  NG: 3,
  DE: 2.5,
  FR: 2.5,
  JP: 2.5,
  BD: 2.5,
  CO: 2,
  AR: 2,
  ES: 2,
  IT: 2,
  MY: 2,
  IQ: 2,
  DZ: 1.5,
  KR: 1,
  CA: 1.5,
  PE: 1.2,
  UA: 1.2,
  MA: 1.2,
  KZ: 1,
  PL: 1,
  AU: 1,
  CL: 1,
  VE: 0.8,
  EC: 0.8,
  RO: 0.7,
  AE: 0.7,
  KE: 0.6,
  ZA: 0.8,
  TW: 0.6,
  NL: 0.6,
  MM: 0.6,
  KH: 0.6,
  PT: 0.5,
  BE: 0.4,
  SE: 0.4,
  CH: 0.3,
  AT: 0.3,
  IN: 0.2,
  CN: 0.1
};
const SMALL_MARKET_WEIGHT = 0.05;

export const REGIONS = new WeightedPicker(
  REGION_CODES,
  REGION_CODES.map(code => MARKET_WEIGHTS[code] ?? SMALL_MARKET_WEIGHT)
);

export type Language = 'en' | 'es' | 'pt' | 'de' | 'fr' | 'id' | 'ja';

/** The language most creators of a region write in; English elsewhere. */
const REGION_LANGUAGE: Readonly<Record<string, Language>> = {
  ES: 'es',
  MX: 'es',
  AR: 'es',
  CO: 'es',
  PE: 'es',
  CL: 'es',
  VE: 'es',
  EC: 'es',
  GT: 'es',
  BO: 'es',
  DO: 'es',
  HN: 'es',
  PY: 'es',
  SV: 'es',
  NI: 'es',
  CR: 'es',
  PA: 'es',
  UY: 'es',
  CU: 'es',
  PR: 'es',
  BR: 'pt',
  PT: 'pt',
  AO: 'pt',
  MZ: 'pt',
  CV: 'pt',
  DE: 'de',
  AT: 'de',
  CH: 'de',
  LI: 'de',
  LU: 'de',
  FR: 'fr',
  BE: 'fr',
  SN: 'fr',
  CI: 'fr',
  CM: 'fr',
  MA: 'fr',
  DZ: 'fr',
  TN: 'fr',
  MC: 'fr',
  HT: 'fr',
  ID: 'id',
  MY: 'id',
  BN: 'id',
  JP: 'ja'
};

/** Mostly the region's language; one post in ten in English anyway. */
export function languageFor(region: string, random: Random): Language {
  const local = REGION_LANGUAGE[region] ?? 'en';
  return local !== 'en' && random.chance(0.1) ? 'en' : local;
}

/** Everyday words of each language, the material of descriptions, speech and comments. */
const WORDS: Readonly<Record<Language, readonly string[]>> = {
  en: (
    'today morning night weekend summer winter recipe dinner coffee breakfast workout gym dance song ' +
    'music trend challenge tutorial makeup outfit style travel beach city road trip family friends dog ' +
    'cat puppy baby school college exam study work office home kitchen garden plants sunset rain snow ' +
    'football basketball game goal match team win funny crazy amazing beautiful best new easy quick ' +
    'healthy delicious homemade first last little big happy sad love life day week story time tips hack ' +
    'review unboxing haul vlog routine cleaning money budget car music guitar piano art drawing painting'
  ).split(' '),
  es: (
    'hoy mañana noche fin semana verano receta cena café desayuno entrenamiento baile canción música ' +
    'reto tutorial maquillaje viaje playa ciudad familia amigos perro gato bebé escuela trabajo casa ' +
    'cocina jardín atardecer lluvia fútbol partido gol equipo gracioso increíble hermoso mejor nuevo fácil ' +
    'rápido sano delicioso casero primero último feliz triste amor vida día historia consejos truco rutina'
  ).split(' '),
  pt: (
    'hoje manhã noite fim semana verão receita jantar café almoço treino dança música desafio tutorial ' +
    'maquiagem viagem praia cidade família amigos cachorro gato bebê escola trabalho casa cozinha jardim ' +
    'pôr sol chuva futebol jogo gol time engraçado incrível lindo melhor novo fácil rápido saudável ' +
    'delicioso caseiro feliz triste amor vida dia história dicas truque rotina'
  ).split(' '),
  de: (
    'heute morgen abend wochenende sommer winter rezept abendessen kaffee frühstück training tanz lied ' +
    'musik herausforderung anleitung schminke reise strand stadt familie freunde hund katze baby schule ' +
    'arbeit büro zuhause küche garten sonnenuntergang regen schnee fußball spiel tor mannschaft lustig ' +
    'verrückt schön beste neu einfach schnell gesund lecker hausgemacht glücklich traurig liebe leben tag ' +
    'geschichte tipps trick routine'
  ).split(' '),
  fr: (
    "aujourd'hui matin soir week-end été hiver recette dîner café petit-déjeuner entraînement danse " +
    'chanson musique défi tutoriel maquillage tenue voyage plage ville famille amis chien chat bébé école ' +
    'travail maison cuisine jardin coucher soleil pluie neige football match but équipe drôle incroyable ' +
    'beau meilleur nouveau facile rapide sain délicieux fait-maison heureux triste amour vie jour histoire ' +
    'astuces routine'
  ).split(' '),
  id: (
    'hari ini pagi malam akhir pekan resep makan malam kopi sarapan olahraga tari lagu musik tantangan ' +
    'tutorial riasan baju jalan-jalan pantai kota keluarga teman anjing kucing bayi sekolah kerja rumah ' +
    'dapur kebun senja hujan sepak bola pertandingan gol tim lucu keren cantik terbaik baru mudah cepat ' +
    'sehat enak buatan sendiri senang sedih cinta hidup cerita tips trik rutinitas'
  ).split(' '),
  ja: (
    '今日 朝 夜 週末 夏 冬 レシピ 夕食 コーヒー 朝ごはん 筋トレ ダンス 歌 音楽 チャレンジ メイク コーデ 旅行 ' +
    '海 街 家族 友達 犬 猫 赤ちゃん 学校 仕事 家 キッチン 庭 夕日 雨 雪 サッカー 試合 面白い すごい きれい ' +
    '最高 新しい 簡単 美味しい 手作り 幸せ 悲しい 大好き 毎日 日常 ルーティン 裏技 おすすめ'
  ).split(' ')
};

export const LANGUAGES = Object.keys(WORDS) as Language[];

/** Words that may be used as search keywords: every word of every language. */
export function vocabularyWords(language: Language): readonly string[] {
  return WORDS[language];
}

/** Short reactions that start or make a comment, per language. */
const REACTIONS: Readonly<Record<Language, readonly string[]>> = {
  en: [
    'omg',
    'lol',
    'so good',
    'this is gold',
    'wait what',
    'need this',
    'same',
    'who else',
    'haha',
    'yes!!'
  ],
  es: [
    'jajaja',
    'qué bueno',
    'me encanta',
    'no puede ser',
    'necesito esto',
    'igual yo',
    'wow'
  ],
  pt: [
    'kkkkk',
    'que lindo',
    'amei',
    'não acredito',
    'preciso disso',
    'eu também',
    'socorro'
  ],
  de: [
    'haha',
    'wie geil',
    'liebe es',
    'krass',
    'brauche das',
    'ich auch',
    'wow'
  ],
  fr: [
    'mdr',
    'trop bien',
    "j'adore",
    'incroyable',
    "j'en ai besoin",
    'moi aussi',
    'ptdr'
  ],
  id: [
    'wkwk',
    'keren banget',
    'suka banget',
    'gila',
    'butuh ini',
    'sama',
    'mantap'
  ],
  ja: ['草', 'すごい', '大好き', 'まじか', 'わかる', '最高', 'かわいい']
};

/** Hashtags people use everywhere, most popular first. */
const COMMON_HASHTAGS = (
  'fyp foryou foryoupage viral trending tiktok funny comedy love music dance duet fypシ xyzbca ' +
  'explore trend meme cute foodtok booktok learnontiktok cooking recipe fitness gym makeup fashion ' +
  'ootd travel nature dog cat pets football soccer nba gaming minecraft fortnite anime art diy ' +
  'lifehack storytime relatable couple family baby motivation skincare beauty hair nails asmr ' +
  'challenge transition cosplay kpop bts taylorswift song cover guitar piano singing rap edit ' +
  'capcut aesthetic vlog dayinmylife grwm unboxing haul smallbusiness tech iphone science history ' +
  'news politics election climate education studytok mathtok sports running yoga healthy vegan ' +
  'foodie streetfood coffee summer halloween christmas newyear ramadan wedding car cars'
).split(' ');

/** The hashtag vocabulary: common tags, then two-word compounds of each language. */
function buildHashtags(): string[] {
  const tags = [...COMMON_HASHTAGS];
  const seen = new Set(tags);
  const random = new Random(0x4a5b);
  for (let index = 0; tags.length < 3000 && index < 20000; index++) {
    const language = LANGUAGES[index % LANGUAGES.length];
    const words = WORDS[language];
    const tag = (random.pick(words) + random.pick(words))
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '');
    if (tag.length >= 3 && !seen.has(tag)) {
      seen.add(tag);
      tags.push(tag);
    }
  }
  return tags;
}

/** Hashtag names (no "#"), Zipf-like popularity in list order. */
const HASHTAG_LIST = buildHashtags();
export const HASHTAGS = new WeightedPicker(
  HASHTAG_LIST,
  zipfWeights(HASHTAG_LIST.length, 1.0)
);

/** Effect ids: numeric strings (as the API returns them), Zipf-like popularity. */
function buildEffectIds(): string[] {
  const random = new Random(0xeffec7);
  const ids = new Set<string>();
  while (ids.size < 800) {
    ids.add(String(random.int(100_000, 9_999_999)));
  }
  return [...ids];
}
const EFFECT_ID_LIST = buildEffectIds();
export const EFFECT_IDS = new WeightedPicker(
  EFFECT_ID_LIST,
  zipfWeights(EFFECT_ID_LIST.length, 1.1)
);

/** Given names and family names, several regions mixed. */
const GIVEN_NAMES = (
  'Emma Liam Olivia Noah Ava Lucas Sofia Mateo Isabella Gabriel Maria Jose Ana Pedro Julia Miguel Laura ' +
  'Camila Santiago Valentina Leon Mia Ben Hannah Paul Lea Louis Chloe Hugo Manon Jules Ines Budi Siti ' +
  'Putri Agus Dewi Rizky Yuki Haruto Sakura Ren Aoi Hina Minh Linh Anh Somchai Ahmed Fatima Omar Aisha ' +
  'Mohammed Layla Ali Zeynep Emre Chidi Amara Tunde Priya Arjun Kim Jin Alex Sam Jordan Taylor Chris'
).split(' ');
const FAMILY_NAMES = (
  'Smith Johnson Brown Garcia Martinez Rodriguez Lopez Silva Santos Oliveira Souza Muller Schmidt ' +
  'Schneider Fischer Martin Bernard Dubois Moreau Laurent Pratama Wijaya Santoso Sato Suzuki Takahashi ' +
  'Tanaka Nguyen Tran Le Pham Khan Hassan Yilmaz Kaya Okafor Adeyemi Kim Lee Park Rossi Russo Novak'
).split(' ');
const HANDLE_WORDS = (
  'official real the its just daily vibes studio kitchen life world club zone tv hq fan page edits ' +
  'music dance art cooks fit style travels gaming plays tok'
).split(' ');

/** A display name: a person, sometimes with a channel word or an emoji. */
export function displayName(random: Random): string {
  const given = random.pick(GIVEN_NAMES);
  const roll = random.next();
  if (roll < 0.55) {
    return `${given} ${random.pick(FAMILY_NAMES)}`;
  }
  if (roll < 0.8) {
    return given;
  }
  if (roll < 0.92) {
    return `${given} ${random.pick(['✨', '🌸', '🔥', '⚽', '🎧', '💄', '🍜', '🐾'])}`;
  }
  return `${given}'s ${random.pick(HANDLE_WORDS)}`;
}

/**
 * A username made from the display name and handle words, unique among
 * `taken` (which it joins): a counter suffix settles any collision.
 */
export function uniqueUsername(
  display: string,
  random: Random,
  taken: Set<string>
): string {
  const base =
    display
      .normalize('NFD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, random.pick(['', '_', '.']))
      .replace(/^[._]+|[._]+$/g, '')
      .slice(0, 18) || 'user';
  const roll = random.next();
  let candidate =
    roll < 0.4
      ? base
      : roll < 0.7
        ? `${base}${random.int(1, 9999)}`
        : `${base}_${random.pick(HANDLE_WORDS)}`;
  for (let suffix = 2; taken.has(candidate); suffix++) {
    candidate = `${base}${random.int(10, 99)}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

/** `count` words of the language, spaced (Japanese too, so each word stays searchable). */
function words(language: Language, count: number, random: Random): string {
  const list = WORDS[language];
  const out: string[] = [];
  for (let index = 0; index < count; index++) {
    out.push(list[Math.floor(random.next() * list.length)]);
  }
  return out.join(' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A video description: a few words, and (most of the time) the video's
 * hashtags written inline as `#tag`, as creators do.
 */
export function videoDescription(
  language: Language,
  hashtags: readonly string[],
  random: Random
): string {
  const text = capitalise(words(language, random.int(2, 14), random));
  if (hashtags.length === 0 || random.chance(0.25)) {
    return text;
  }
  const tags = hashtags.map(tag => `#${tag}`).join(' ');
  return random.chance(0.8) ? `${text} ${tags}` : `${tags} ${text}`;
}

/** Speech in the video as text: empty when nobody speaks, longer for longer videos. */
export function voiceToText(
  language: Language,
  durationSeconds: number,
  random: Random
): string {
  if (random.chance(0.4)) {
    return '';
  }
  const count = Math.min(
    60,
    3 + Math.floor(durationSeconds / 6) + random.int(0, 6)
  );
  return capitalise(words(language, count, random));
}

export function commentText(language: Language, random: Random): string {
  const reaction = random.pick(REACTIONS[language]);
  const roll = random.next();
  if (roll < 0.35) {
    return reaction;
  }
  if (roll < 0.85) {
    return `${reaction} ${words(language, random.int(1, 10), random)}`;
  }
  return capitalise(words(language, random.int(3, 18), random));
}

export function bioDescription(language: Language, random: Random): string {
  return random.chance(0.3)
    ? ''
    : capitalise(words(language, random.int(2, 9), random));
}
