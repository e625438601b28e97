/** A glyph per deployment mode, so a node says how it runs at a glance. */
const GLYPHS: Record<string, string> = { binary: '⚙', docker: '🐳', 'docker-compose': '🧩', kubernetes: '☸', remote: '☁' };

export function ModeIcon({ mode }: { mode: string }) {
  return (
    <span className="mode-icon" title={mode} aria-label={`mode ${mode}`} role="img">
      {GLYPHS[mode] ?? '•'}
    </span>
  );
}
