/**
 * An HDR-style log-linear histogram of latencies: values are recorded in microseconds; below 128 µs
 * each value has its own bucket, above it every power of two is split into 128 linear sub-buckets, so
 * any reported percentile is within 1% of the true value. Histograms from several processes merge by
 * adding counts, which is why workers ship them (sparse) rather than raw samples.
 */
const SUB_BUCKETS = 128;
const SUB_BITS = 7;
const MAX_EXPONENT = 40;
const BUCKETS = SUB_BUCKETS + (MAX_EXPONENT - SUB_BITS) * SUB_BUCKETS;

export interface HistogramJson {
  /** [bucket index, count] pairs. */
  buckets: Array<[number, number]>;
  count: number;
  sumMicros: number;
  minMicros: number;
  maxMicros: number;
}

function bucketOf(micros: number): number {
  const value = Math.max(0, Math.round(micros));
  if (value < SUB_BUCKETS) return value;
  const exponent = Math.min(Math.floor(Math.log2(value)), MAX_EXPONENT - 1);
  const sub = Math.min(SUB_BUCKETS - 1, Math.floor(value / 2 ** (exponent - SUB_BITS)) - SUB_BUCKETS);
  return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
}

/** The middle of a bucket's range, in microseconds. */
function valueOf(bucket: number): number {
  if (bucket < SUB_BUCKETS) return bucket;
  const exponent = Math.floor((bucket - SUB_BUCKETS) / SUB_BUCKETS) + SUB_BITS;
  const sub = (bucket - SUB_BUCKETS) % SUB_BUCKETS;
  const width = 2 ** (exponent - SUB_BITS);
  return (SUB_BUCKETS + sub) * width + width / 2;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  private sum = 0;
  private min = Infinity;
  private max = 0;

  recordMs(milliseconds: number) {
    this.recordMicros(milliseconds * 1000);
  }

  recordMicros(micros: number) {
    const value = Math.max(0, micros);
    this.counts[bucketOf(value)]! += 1;
    this.count += 1;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  merge(other: Histogram | HistogramJson) {
    const json = other instanceof Histogram ? other.toJSON() : other;
    for (const [bucket, count] of json.buckets) this.counts[bucket]! += count;
    this.count += json.count;
    this.sum += json.sumMicros;
    if (json.count > 0) {
      this.min = Math.min(this.min, json.minMicros);
      this.max = Math.max(this.max, json.maxMicros);
    }
    return this;
  }

  /** The value at or below which `percent` % of the recordings fall, in milliseconds (NaN when empty). */
  percentileMs(percent: number): number {
    if (this.count === 0) return NaN;
    if (percent >= 100) return this.max / 1000;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.count));
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return Math.min(Math.max(valueOf(bucket), this.min), this.max) / 1000;
    }
    return this.max / 1000;
  }

  meanMs() {
    return this.count ? this.sum / this.count / 1000 : NaN;
  }

  maxMs() {
    return this.count ? this.max / 1000 : NaN;
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: this.percentileMs(50),
      p90: this.percentileMs(90),
      p99: this.percentileMs(99),
      p999: this.percentileMs(99.9),
      max: this.maxMs(),
      mean: this.meanMs(),
    };
  }

  toJSON(): HistogramJson {
    const buckets: Array<[number, number]> = [];
    this.counts.forEach((count, bucket) => {
      if (count > 0) buckets.push([bucket, count]);
    });
    return { buckets, count: this.count, sumMicros: this.sum, minMicros: this.count ? this.min : 0, maxMicros: this.max };
  }

  static fromJSON(json: HistogramJson): Histogram {
    return new Histogram().merge(json);
  }
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}
