/**
 * Country values HR systems send → ISO 3166-1 alpha-2, the only form Entra accepts in usageLocation (and the
 * form the app stores in country). Microsoft's own bulkUpload sample sends `"country": "USA"` (alpha-3), and
 * exports often carry names ("France", "United States of America"); both are converted. A value that cannot
 * be mapped is a reported problem, never dropped: without a usage location a licence cannot be assigned
 * (https://learn.microsoft.com/graph/api/user-assignlicense, "usageLocation … required").
 * Codes: ISO 3166-1 (https://www.iso.org/iso-3166-country-codes.html), plus XK/XKX (Kosovo, user-assigned,
 * used by Microsoft's usage locations). Names: the English, French, German, Spanish, Italian, Dutch and
 * Portuguese names Intl.DisplayNames (CLDR) gives each code, plus a few common aliases.
 */

/** alpha-2 followed by alpha-3, one pair per word. */
const ISO_3166 =
  'AFAFG AXALA ALALB DZDZA ASASM ADAND AOAGO AIAIA AQATA AGATG ARARG AMARM AWABW AUAUS ATAUT AZAZE ' +
  'BSBHS BHBHR BDBGD BBBRB BYBLR BEBEL BZBLZ BJBEN BMBMU BTBTN BOBOL BQBES BABIH BWBWA BVBVT BRBRA ' +
  'IOIOT BNBRN BGBGR BFBFA BIBDI CVCPV KHKHM CMCMR CACAN KYCYM CFCAF TDTCD CLCHL CNCHN CXCXR CCCCK ' +
  'COCOL KMCOM CGCOG CDCOD CKCOK CRCRI CICIV HRHRV CUCUB CWCUW CYCYP CZCZE DKDNK DJDJI DMDMA DODOM ' +
  'ECECU EGEGY SVSLV GQGNQ ERERI EEEST SZSWZ ETETH FKFLK FOFRO FJFJI FIFIN FRFRA GFGUF PFPYF TFATF ' +
  'GAGAB GMGMB GEGEO DEDEU GHGHA GIGIB GRGRC GLGRL GDGRD GPGLP GUGUM GTGTM GGGGY GNGIN GWGNB GYGUY ' +
  'HTHTI HMHMD VAVAT HNHND HKHKG HUHUN ISISL ININD IDIDN IRIRN IQIRQ IEIRL IMIMN ILISR ITITA JMJAM ' +
  'JPJPN JEJEY JOJOR KZKAZ KEKEN KIKIR KPPRK KRKOR KWKWT KGKGZ LALAO LVLVA LBLBN LSLSO LRLBR LYLBY ' +
  'LILIE LTLTU LULUX MOMAC MGMDG MWMWI MYMYS MVMDV MLMLI MTMLT MHMHL MQMTQ MRMRT MUMUS YTMYT MXMEX ' +
  'FMFSM MDMDA MCMCO MNMNG MEMNE MSMSR MAMAR MZMOZ MMMMR NANAM NRNRU NPNPL NLNLD NCNCL NZNZL NINIC ' +
  'NENER NGNGA NUNIU NFNFK MKMKD MPMNP NONOR OMOMN PKPAK PWPLW PSPSE PAPAN PGPNG PYPRY PEPER PHPHL ' +
  'PNPCN PLPOL PTPRT PRPRI QAQAT REREU ROROU RURUS RWRWA BLBLM SHSHN KNKNA LCLCA MFMAF PMSPM VCVCT ' +
  'WSWSM SMSMR STSTP SASAU SNSEN RSSRB SCSYC SLSLE SGSGP SXSXM SKSVK SISVN SBSLB SOSOM ZAZAF GSSGS ' +
  'SSSSD ESESP LKLKA SDSDN SRSUR SJSJM SESWE CHCHE SYSYR TWTWN TJTJK TZTZA THTHA TLTLS TGTGO TKTKL ' +
  'TOTON TTTTO TNTUN TRTUR TMTKM TCTCA TVTUV UGUGA UAUKR AEARE GBGBR USUSA UMUMI UYURY UZUZB VUVUT ' +
  'VEVEN VNVNM VGVGB VIVIR WFWLF EHESH YEYEM ZMZMB ZWZWE XKXKX';

const ALPHA3_TO_ALPHA2 = new Map<string, string>();
const ALPHA2 = new Set<string>();
for (const pair of ISO_3166.split(' ')) {
  ALPHA2.add(pair.slice(0, 2));
  ALPHA3_TO_ALPHA2.set(pair.slice(2), pair.slice(0, 2));
}

const ALIASES: Record<string, string> = {
  'united states of america': 'US',
  america: 'US',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  'czech republic': 'CZ',
  turkey: 'TR',
  'russian federation': 'RU',
  'south korea': 'KR',
  'republic of korea': 'KR',
  'korea republic of': 'KR',
  'north korea': 'KP',
  'ivory coast': 'CI',
  holland: 'NL',
  'viet nam': 'VN',
  'iran islamic republic of': 'IR',
  macedonia: 'MK',
  swaziland: 'SZ',
  burma: 'MM',
  'democratic republic of the congo': 'CD',
  'republic of the congo': 'CG',
  'cape verde': 'CV',
  'east timor': 'TL',
  uae: 'AE',
  vatican: 'VA',
  'vatican city': 'VA',
};

const NAME_LOCALES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];

/** "Côte d’Ivoire" → "cote d ivoire": case, accents, punctuation and a leading "the" do not matter. */
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

let byName: Map<string, string> | undefined;
function countryNames(): Map<string, string> {
  // Stryker disable next-line ConditionalExpression: the cache saves time only; a rebuilt map is the same map
  if (byName) return byName;
  byName = new Map();
  for (const locale of NAME_LOCALES) {
    const names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const code of ALPHA2) {
      const name = names.of(code);
      // CLDR names every code, and no two codes share a name key in these locales (checked on Node's ICU data).
      // Stryker disable next-line ConditionalExpression,LogicalOperator: so the first-wins guard changes nothing
      if (name && !byName.has(nameKey(name))) byName.set(nameKey(name), code);
    }
  }
  for (const [alias, code] of Object.entries(ALIASES)) byName.set(nameKey(alias), code);
  return byName;
}

/** ISO 3166-1 alpha-2 for an alpha-2 or alpha-3 code (any case) or a country name; null when none fits. */
export function toCountryCode(value: string): string | null {
  const text = value.trim();
  const upper = text.toUpperCase();
  if (ALPHA2.has(upper)) return upper;
  if (ALPHA3_TO_ALPHA2.has(upper)) return ALPHA3_TO_ALPHA2.get(upper)!;
  return countryNames().get(nameKey(text)) ?? null;
}
