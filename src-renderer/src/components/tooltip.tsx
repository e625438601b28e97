/**
 * An explanation beside a control, shown while it is hovered or focused (a native `title` shows on
 * hover only, late, and never to the keyboard) and given to assistive technology as the control's
 * description (aria-describedby). Escape hides it.
 */
import { cloneElement, useId, useState, type ReactElement, type ReactNode } from 'react';

export function Tooltip({ text, children }: { text: ReactNode; children: ReactElement<{ 'aria-describedby'?: string }> }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  return (
    <span
      className="tooltip-anchor"
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        setOpen(false);
        event.stopPropagation();
      }}
    >
      {cloneElement(children, { 'aria-describedby': id })}
      <span role="tooltip" id={id} className="tooltip" hidden={!open}>
        {text}
      </span>
    </span>
  );
}
