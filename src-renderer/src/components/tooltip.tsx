/**
 * An explanation beside a control, shown while it is hovered or focused (a native `title` shows on
 * hover only, late, and never to the keyboard) and given to assistive technology as the control's
 * description (aria-describedby). Escape hides it. The popover lives in <body> (or the open modal
 * dialog it is in: the top layer covers <body>), fixed beside its anchor: inside a graph node (a
 * stacking context of React Flow's, under the nodes after it) or a panel that clips, it would be
 * covered or cut. One shows at a time: a badge's, on a graph node that has its own, replaces the
 * node's rather than lying over it. `Tooltip` wraps a control; `useTooltip` gives an
 * element that is itself the anchor (a graph node) what it needs.
 */
import {
  cloneElement,
  useId,
  useRef,
  useState,
  type CSSProperties,
  type FocusEvent,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
  type RefObject,
} from 'react';
import { createPortal } from 'react-dom';
import { placeBeside } from './tooltip-place';

/** Hides the one popover shown, if any. */
let hideShown: (() => void) | undefined;

export interface TooltipAnchor<E extends HTMLElement> {
  readonly ref: RefObject<E | null>;
  onMouseEnter(): void;
  onMouseLeave(): void;
  onFocus(event: FocusEvent<E>): void;
  onBlur(): void;
  onKeyDown(event: KeyboardEvent<E>): void;
}

/**
 * The anchor's handlers, the popover's id (for aria-describedby) and the popover itself (render it
 * anywhere: it goes to <body>). Focus counts on the anchor itself, or (`focusOn: 'child'`, a wrapper)
 * on its first child only: a control within a graph node has explanations of its own.
 */
export function useTooltip<E extends HTMLElement>(text: ReactNode, focusOn: 'self' | 'child' = 'self') {
  const id = useId();
  const ref = useRef<E>(null);
  const [place, setPlace] = useState<CSSProperties | undefined>(undefined);
  const [host, setHost] = useState<Element>(document.body);
  // One function for the popover's life, so the one shown is known by identity.
  const [hide] = useState(() => {
    const hideThis = () => {
      setPlace(undefined);
      if (hideShown === hideThis) hideShown = undefined;
    };
    return hideThis;
  });
  const show = () => {
    if (!ref.current) return;
    if (hideShown !== hide) hideShown?.();
    hideShown = hide;
    setHost(ref.current.closest('dialog') ?? document.body);
    setPlace(placeBeside(ref.current.getBoundingClientRect(), window.innerWidth, window.innerHeight));
  };
  const anchor: TooltipAnchor<E> = {
    ref,
    onMouseEnter: show,
    onMouseLeave: hide,
    onFocus: (event) => {
      if (event.target === (focusOn === 'self' ? event.currentTarget : event.currentTarget.firstElementChild)) show();
    },
    onBlur: hide,
    onKeyDown: (event) => {
      if (event.key !== 'Escape' || !place) return;
      hide();
      event.stopPropagation();
    },
  };
  const popover = createPortal(
    <span role="tooltip" id={id} className="tooltip" hidden={!place} style={place}>
      {text}
    </span>,
    host,
  );
  return { anchor, id, popover };
}

export function Tooltip({ text, children }: { text: ReactNode; children: ReactElement<{ 'aria-describedby'?: string }> }) {
  const { anchor, id, popover } = useTooltip<HTMLSpanElement>(text, 'child');
  const own = children.props['aria-describedby'];
  return (
    <span className="tooltip-anchor" {...anchor}>
      {cloneElement(children, { 'aria-describedby': own ? `${own} ${id}` : id })}
      {popover}
    </span>
  );
}
