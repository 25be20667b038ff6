/**
 * Human-facing names of the widgets, for the embed docs page (/embed/), the embed frame's title and
 * the title line of a saved image. A widget class may declare `static title` / `static summary`
 * itself; those win over this table, and a widget missing from both gets a name made from its tag,
 * so a new widget is never left out of the docs.
 *
 *   example: attributes for the docs page's live example (validated at build time with parseProps).
 */
const INFO = {
  'attn-rnn-forget': {
    title: 'An RNN forgets the start',
    summary: 'A small recurrent network reads a long sequence; the chart shows how much each input can still move its final state.',
    lesson: 1,
    example: { length: '30', gain: '0.9', seed: '1' },
  },
  'attn-soft-lookup': {
    title: 'Hard lookup versus soft lookup',
    summary: 'A dictionary finds an exact key or nothing; attention scores every key against the query and blends all the values.',
    lesson: 2,
    example: { word: 'kitten', temperature: '1' },
  },
  'attn-dot-arrows': {
    title: 'The dot product of two arrows',
    summary: 'Drag two arrows on a grid and watch their dot product, the projection of one on the other and the cosine.',
    lesson: 3,
    example: { a: '2,1', b: '1,2', extent: '4' },
  },
  'attn-softmax': {
    title: 'Softmax with a temperature',
    summary: 'Editable scores become probabilities; the temperature sharpens or flattens them.',
    lesson: 4,
    example: { scores: '2,1,0.1', temperature: '1', labels: 'cat sat mat' },
  },
  'attn-embed': {
    title: 'Embedding a sentence',
    summary: 'A sentence of up to five words becomes the matrix X: one row of eight named features per token.',
    lesson: 5,
    example: { sentence: 'the cat chased the mouse' },
  },
  'attn-qkv': {
    title: 'Q, K and V from one X',
    summary: 'Three weight matrices turn the same X into queries, keys and values; edit a weight and follow one cell.',
    lesson: 6,
    example: { sentence: 'the cat chased the mouse', seed: '7', matrix: 'Q' },
  },
  'attn-score-matrix': {
    title: 'The score matrix QKᵀ',
    summary: 'Every query against every key at once: each score is one dot product, written out on demand.',
    lesson: 7,
    example: { sentence: 'the cat chased the mouse', seed: '7', heads: '2', head: '1' },
  },
  'attn-dk-scaling': {
    title: 'Why divide by √dₖ',
    summary: 'Random queries and keys of width 2 to 512: the spread of q·k grows like √dₖ, and a row\'s softmax saturates unless the scores are divided by √dₖ.',
    lesson: 7,
    example: { dk: '64', seed: '1' },
  },
  'attn-row-softmax': {
    title: 'Each row becomes a distribution',
    summary: 'Scaled scores go through a softmax row by row, with an optional causal mask and a temperature.',
    lesson: 8,
    example: { sentence: 'the cat chased the mouse', seed: '7', heads: '2', head: '1' },
  },
  'attn-weighted-sum': {
    title: 'Weights times values',
    summary: 'One output row of attention is a blend of the value rows, weighted by one row of the attention matrix.',
    lesson: 9,
    example: { sentence: 'the cat chased the mouse', seed: '7', heads: '2', head: '1' },
  },
  'attn-pipeline': {
    title: 'Self-attention, one stage at a time',
    summary: 'The whole computation for one short sentence: embed, project, score, scale, mask, softmax and blend.',
    lesson: 9,
    example: { sentence: 'the cat chased the mouse' },
  },
  'attn-head-split': {
    title: 'One head or two smaller heads',
    summary: 'One head has to blend two things it needs; two heads of half the size can each fetch one cleanly.',
    lesson: 10,
    example: { heads: '1', sharpness: '1' },
  },
  'attn-head-shapes': {
    title: 'Split, attend, concatenate, project',
    summary: 'The shapes of multi-head attention in the course model, one layer at a time: follow one head through Q, its attention map, its output and its block of W_O.',
    lesson: 11,
    example: { sentence: 'the cat chased the mouse', layer: '1', head: '1', token: '3' },
  },
  'attn-head-gallery': {
    title: 'Every head of a trained model',
    summary: 'All twelve heads of the course model on one sentence, each a small attention map labelled with what it measurably does.',
    lesson: 12,
    example: { sentence: 'the cat chased the mouse', head: '1-2' },
  },
  'attn-path-length': {
    title: 'Path length: RNN versus attention',
    summary: 'How many steps separate two words in a recurrent chain and in one attention layer, and what each costs as the sequence grows.',
    lesson: 13,
    example: { n: '12', from: '2', to: '9' },
  },
  'attn-predict-head': {
    title: 'Predict what a head attends to',
    summary: 'A game: guess, for every word, where one head of the trained model looks most, then compare with the real map.',
    lesson: 14,
    example: { seed: '7' },
  },
};

/** "attn-row-softmax" -> "Row softmax". */
function fromTag(tag) {
  const words = String(tag).replace(/^attn-/, '').split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** { tag, short, title, summary, lesson, example } for a widget class. */
export function widgetInfo(W) {
  const known = INFO[W.tag] ?? {};
  return {
    tag: W.tag,
    short: String(W.tag).replace(/^attn-/, ''),
    title: W.title ?? known.title ?? fromTag(W.tag),
    summary: W.summary ?? known.summary ?? '',
    lesson: known.lesson ?? null,
    example: known.example ?? {},
  };
}
