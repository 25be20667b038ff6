/**
 * A plain-JavaScript multi-head attention, written ONLY for `npm run bench` to compare speeds.
 * The site never uses it: all course math runs in the C++ core. Float32Array, row-major,
 * zero biases, scaled, no mask, temperature 1.
 */

/** a (n x k) · b (k x m) -> (n x m). */
function matmul(a, b, n, k, m) {
  const c = new Float32Array(n * m);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < m; j++) c[i * m + j] += av * b[p * m + j];
    }
  return c;
}

/** Multi-head attention output (n x d) for X (n x d) and four d x d weights. */
export function referenceAttention(X, Wq, Wk, Wv, Wo, n, d, h) {
  const Q = matmul(X, Wq, n, d, d), K = matmul(X, Wk, n, d, d), V = matmul(X, Wv, n, d, d);
  const dk = d / h, inv = 1 / Math.sqrt(dk);
  const concat = new Float32Array(n * d);
  const row = new Float32Array(n);
  for (let head = 0; head < h; head++) {
    const off = head * dk;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let m = 0; m < dk; m++) s += Q[i * d + off + m] * K[j * d + off + m];
        row[j] = s * inv;
        if (row[j] > max) max = row[j];
      }
      let z = 0;
      for (let j = 0; j < n; j++) z += row[j] = Math.exp(row[j] - max);
      for (let j = 0; j < n; j++) {
        const a = row[j] / z;
        for (let m = 0; m < dk; m++) concat[i * d + off + m] += a * V[j * d + off + m];
      }
    }
  }
  return matmul(concat, Wo, n, d, d);
}
