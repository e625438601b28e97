#!/usr/bin/env node
// Exit 0 when the URL answers 2xx within two seconds, 1 otherwise: a command health check.
const url = process.argv[2];
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  console.log(`${url} → ${response.status}`);
  process.exitCode = response.ok ? 0 : 1;
} catch (error) {
  console.log(`${url} → ${error.cause?.code ?? error.name}`);
  process.exitCode = 1;
}
