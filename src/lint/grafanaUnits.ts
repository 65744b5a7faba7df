// Grafana's unit ids (fieldConfig.defaults.unit), by category as the unit picker shows them
// (packages/grafana-data/src/valueFormats/categories.ts), plus the parametrised forms Grafana's
// getValueFormat() understands. An unknown id is drawn as a plain number with the id appended.
const CATEGORIES: Record<string, string[]> = {
  misc: ["none", "string", "short", "percent", "percentunit", "humidity", "dB", "hex0x", "hex", "sci", "locale", "pixel"],
  boolean: ["bool", "bool_yes_no", "bool_on_off"],
  acceleration: ["accMS2", "accFS2", "accG"],
  angle: ["degree", "radian", "grad", "arcmin", "arcsec"],
  area: ["areaM2", "areaF2", "areaMI2"],
  computation: ["flops", "mflops", "gflops", "tflops", "pflops", "eflops", "zflops", "yflops"],
  concentration: ["ppm", "conppb", "conngm3", "conngNm3", "conμgm3", "conμgNm3", "conmgm3", "conmgNm3", "congm3", "congNm3", "conmgdL", "conmmolL"],
  currency: [
    "currencyUSD", "currencyGBP", "currencyEUR", "currencyJPY", "currencyRUB", "currencyUAH", "currencyBRL", "currencyDKK", "currencyISK",
    "currencyNOK", "currencySEK", "currencyCZK", "currencyCHF", "currencyPLN", "currencyBTC", "currencymBTC", "currencyμBTC", "currencyZAR",
    "currencyINR", "currencyKRW",
  ],
  dataIEC: ["bits", "bytes", "kbytes", "mbytes", "gbytes", "tbytes", "pbytes"],
  dataMetric: ["decbits", "decbytes", "deckbytes", "decmbytes", "decgbytes", "dectbytes", "decpbytes"],
  dataRate: ["pps", "bps", "Bps", "KBs", "Kbits", "MBs", "Mbits", "GBs", "Gbits", "TBs", "Tbits", "PBs", "Pbits", "binBps", "binbps"],
  dateTime: ["dateTimeAsIso", "dateTimeAsIsoNoDateIfToday", "dateTimeAsUS", "dateTimeAsUSNoDateIfToday", "dateTimeAsLocal", "dateTimeAsLocalNoDateIfToday", "dateTimeAsSystem", "dateTimeFromNow"],
  energy: [
    "watt", "kwatt", "megwatt", "gwatt", "mwatt", "Wm2", "voltamp", "kvoltamp", "voltampreact", "kvoltampreact", "watth", "watthperkg", "kwatth",
    "kwattm", "amph", "kamph", "mamph", "joule", "ev", "amp", "kamp", "mamp", "volt", "kvolt", "mvolt", "dBm", "ohm", "kohm", "Mohm", "farad",
    "µfarad", "nfarad", "pfarad", "ffarad", "henry", "mhenry", "µhenry", "lumens",
  ],
  flow: ["flowgpm", "flowcms", "flowcfs", "flowcfm", "litreh", "flowlpm", "flowmlpm", "lux"],
  force: ["forceNm", "forcekNm", "forceN", "forcekN"],
  hashRate: ["Hs", "KHs", "MHs", "GHs", "THs", "PHs", "EHs"],
  mass: ["massmg", "massg", "masslb", "masskg", "masst"],
  length: ["lengthmm", "lengthin", "lengthft", "lengthm", "lengthkm", "lengthmi"],
  pressure: ["pressurembar", "pressurebar", "pressurekbar", "pressurepa", "pressurehpa", "pressurekpa", "pressurehg", "pressurepsi"],
  radiation: ["radbq", "radci", "radgy", "radrad", "radsv", "radmsv", "radusv", "radrem", "radexpckg", "radr", "radsvh", "radmsvh", "radusvh"],
  rotationalSpeed: ["rotrpm", "rothz", "rotkhz", "rotmhz", "rotghz", "rotrads", "rotdegs"],
  temperature: ["celsius", "fahrenheit", "kelvin"],
  time: ["hertz", "ns", "µs", "ms", "s", "m", "h", "d", "dtdurationms", "dtdurations", "dthms", "dtdhms", "timeticks", "clockms", "clocks"],
  throughput: ["cps", "ops", "reqps", "rps", "wps", "iops", "eps", "mps", "recps", "rowsps", "cpm", "opm", "rpm", "wpm"],
  velocity: ["velocityms", "velocitykmh", "velocitymph", "velocityknot"],
  volume: ["mlitre", "litre", "m3", "Nm3", "dm3", "gallons"],
};

export const GRAFANA_UNITS: ReadonlySet<string> = new Set(Object.values(CATEGORIES).flat());

/** Custom units: prefix:€, suffix: req, si:g, count:rows, currency:CHF, time:YYYY-MM-DD, bool… */
const PARAMETRISED = /^(prefix|suffix|si|count|currency|time|bool):.+$/;

export function isGrafanaUnit(unit: string): boolean {
  return GRAFANA_UNITS.has(unit) || PARAMETRISED.test(unit);
}

/** The closest known unit, for "did you mean". */
export function suggestUnit(unit: string): string | undefined {
  const lower = unit.toLowerCase();
  const aliases: Record<string, string> = {
    seconds: "s", second: "s", sec: "s", secs: "s", milliseconds: "ms", millis: "ms", percent100: "percent", ratio: "percentunit",
    "%": "percent", byte: "bytes", "b/s": "Bps", "req/s": "reqps", count: "short", number: "short", minutes: "m", hours: "h",
  };
  if (aliases[lower]) return aliases[lower];
  return [...GRAFANA_UNITS].find((u) => u.toLowerCase() === lower);
}
