// Renders resources/icon.svg to resources/icon.png (512×512, what electron-builder derives every
// platform's icon from) in Debian's Chromium. Run once after changing the SVG: node scripts/make-app-icon.mjs
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const svg = readFileSync(new URL('../resources/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 512, height: 512 } });
await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:512px;height:512px;display:block}</style>${svg}`);
await page.locator('svg').screenshot({ path: new URL('../resources/icon.png', import.meta.url).pathname, omitBackground: true });
await browser.close();
