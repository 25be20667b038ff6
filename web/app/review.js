/**
 * Entry point of the review page (scripts/lib/review-page.mjs): shows the missed questions that
 * are due today (Leitner boxes, web/app/leitner.js), then today's new cards (review-only questions
 * of completed lessons), as the same quiz forms the lesson pages use, grades them with the same
 * runtime (a wrong pick never shows the answer; "Show answer" counts as a miss), moves each
 * between boxes, and lists the questions waiting for a later day. Widget questions can only be answered on their lesson page, so their card
 * links there. Everything read from storage is written with textContent; HTML comes only from
 * the build's templates.
 */
import { openProgress } from './progress.js';
import { startQuiz } from './quiz.js';
import { showNotice } from './notice.js';
import { BOXES, dayString, formatDay, isDue, reviewToday } from './leitner.js';

const COMES_BACK = 'Questions you answer wrong on a lesson page come back here, spaced out; so do extra questions from each lesson you complete, from the next day on.';

const progress = openProgress();
showNotice(progress.notice);

const templates = new Map([...document.querySelectorAll('template.review-item')].map((t) => [t.dataset.quizId, t]));
const order = [...templates.keys()];
const today = progress.today();
const questions = order.map((id) => ({ id, lesson: Number(templates.get(id).dataset.lesson), placement: templates.get(id).dataset.placement }));
const { due, fresh } = reviewToday(progress.data, questions, today);
const newIds = new Set(fresh);
const dueIds = [...due, ...fresh];
const answered = new Set();

fillQueue();
fillUpcoming();
fillSummary();
fillEmptyState();

function clone(id) {
  return templates.get(id).content.firstElementChild.cloneNode(true);
}

function fillQueue() {
  const list = document.getElementById('review-queue');
  for (const id of dueIds) {
    const card = clone(id);
    const entry = progress.reviewEntry(id);
    card.querySelector('.review-meta').textContent = entry
      ? `Box ${entry.box} of ${BOXES} · ${entry.due < today ? `due since ${formatDay(entry.due, today)}` : 'due today'}`
      : 'New question from a lesson you completed';
    if (!entry) card.dataset.new = 'true';
    const form = card.querySelector('form.quiz');
    if (form) startReviewQuiz(form, card, id, entry);
    list.append(card);
  }
  document.getElementById('review-due').hidden = dueIds.length === 0;
}

function startReviewQuiz(form, card, id, entry) {
  const template = templates.get(id);
  const lesson = Number(template.dataset.lesson);
  let tries = 0;
  const answer = (data, correct) => {
    const fresh = newIds.has(id) && !progress.reviewEntry(id);
    const { entry: now, change } = progress.recordReview(id, { correct, kind: data.kind, lesson, fresh });
    showOutcome(card, now, change);
    answered.add(id);
    fillSummary();
  };
  startQuiz(form, {
    seed: progress.data.seed,
    // a new choice order for every review of the question, stable across reloads
    shuffleKey: `${id}#review-${entry?.history.length ?? 0}`,
    record: (data, { correct }) => {
      tries += 1;
      answer(data, correct);
      return { tries };
    },
    reveal: (data) => answer(data, false),
  });
}

function showOutcome(card, entry, change) {
  const box = card.querySelector('.review-outcome');
  const when = entry ? formatDay(entry.due, today) : '';
  const messages = {
    up: () => `Moved up to box ${entry.box} of ${BOXES}: it comes back on ${when}.`,
    top: () => `Still in box ${BOXES}, the top box: it comes back on ${when}.`,
    reset: () => `Back to box 1: it comes back on ${when}.`,
    added: () => `In box 1: it comes back on ${when}.`,
    none: () => `This try does not move the question: it stays in box ${entry.box} and comes back on ${when}.`,
  };
  box.textContent = entry ? (messages[change] ?? messages.none)() : '';
  box.dataset.change = change;
  box.hidden = !entry;
  card.dataset.reviewed = change;
}

function fillUpcoming() {
  const review = progress.data.review;
  const later = order
    .filter((id) => review[id] && !isDue(review[id], today))
    .sort((a, b) => (review[a].due < review[b].due ? -1 : review[a].due > review[b].due ? 1 : order.indexOf(a) - order.indexOf(b)));
  const list = document.getElementById('review-upcoming');
  for (const id of later) {
    const entry = review[id];
    const li = document.createElement('li');
    li.className = 'review-upcoming-item';
    li.dataset.quizId = id;
    const prompt = document.createElement('span');
    prompt.className = 'review-upcoming-prompt';
    prompt.append(...promptNodes(id));
    const meta = document.createElement('span');
    meta.className = 'review-upcoming-meta';
    meta.textContent = `Lesson ${templates.get(id).dataset.lesson} · box ${entry.box} of ${BOXES} · comes back on ${formatDay(entry.due, today)}`;
    li.append(prompt, meta);
    list.append(li);
  }
  document.getElementById('review-later').hidden = later.length === 0;
}

/** The prompt of question `id` as DOM nodes (from the build's template, so trusted HTML). */
function promptNodes(id) {
  const card = clone(id);
  const legend = card.querySelector('legend.quiz-prompt') ?? card.querySelector('.review-widget-prompt');
  for (const extra of legend.querySelectorAll('.quiz-number, .quiz-hint')) extra.remove();
  return [...legend.childNodes];
}

function fillSummary() {
  const el = document.getElementById('review-summary');
  const review = progress.data.review;
  const known = order.filter((id) => review[id]);
  const waiting = known.filter((id) => !dueIds.includes(id)).length;
  const later = waiting > 0 ? ` ${waiting} more ${waiting === 1 ? 'waits' : 'wait'} for a later day.` : '';
  const reviewedToday = known.filter((id) => review[id].history.some((h) => h.where === 'review' && typeof h.at === 'string' && dayString(Date.parse(h.at)) === today)).length;
  if (dueIds.length === 0) {
    el.textContent = reviewedToday > 0 ? `You reviewed ${reviewedToday} question${reviewedToday === 1 ? '' : 's'} today.${later}` : '';
    el.hidden = el.textContent === '';
    return;
  }
  const n = dueIds.length;
  const widgetOnly = dueIds.filter((id) => templates.get(id).dataset.kind === 'widget').length;
  const notes = [
    newIds.size ? `${newIds.size} new` : '',
    widgetOnly ? `${widgetOnly} of them on ${widgetOnly === 1 ? 'its' : 'their'} lesson page` : '',
  ].filter(Boolean);
  const onPage = notes.length ? ` (${notes.join('; ')})` : '';
  el.textContent = answered.size === 0
    ? `${n} question${n === 1 ? ' is' : 's are'} due now${onPage}.${later}`
    : `Reviewed ${answered.size} of ${n} due question${n === 1 ? '' : 's'}${answered.size + widgetOnly >= n ? ': done for today' : ''}.${later}`;
}

function fillEmptyState() {
  const box = document.getElementById('review-empty');
  if (dueIds.length > 0) return;
  const review = progress.data.review;
  const anyAnswer = Object.values(progress.data.lessons).some((l) => Object.keys(l.answers).length > 0);
  const next = order.filter((id) => review[id]).map((id) => review[id].due).sort()[0];
  const heading = document.createElement('p');
  heading.className = 'empty-state-title';
  const detail = document.createElement('p');
  if (next) {
    heading.textContent = `All caught up, next review on ${formatDay(next, today)}.`;
    detail.append('Come back then; the questions waiting are listed below. Meanwhile, carry on with the ', lessonsLink('lessons'), '.');
  } else if (anyAnswer) {
    heading.textContent = 'Nothing to review: you have not missed a question yet.';
    detail.append(`${COMES_BACK} Carry on with the `, lessonsLink('lessons'), '.');
  } else {
    heading.textContent = 'Nothing to review: answer some questions first.';
    detail.append(`${COMES_BACK} `, lessonsLink('Start with the lessons'), '.');
  }
  box.replaceChildren(heading, detail);
  box.hidden = false;
}

function lessonsLink(label) {
  const a = document.createElement('a');
  a.href = '../#lessons';
  a.textContent = label;
  return a;
}
