/**
 * Entry point of the FAQ page (scripts/lib/faq-page.mjs): defines the widgets on the page (only
 * their code loads) and watches wide boxes for scrolling, as a lesson page does.
 */
import { watchScrollableRegions } from './scrollers.js';
import { defineWidgetsOnPage } from '../widgets/registry.js';

const recheck = watchScrollableRegions(document.getElementById('main'));
defineWidgetsOnPage().then(recheck);
