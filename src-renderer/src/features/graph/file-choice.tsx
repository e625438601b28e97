/**
 * Asked before a graph edit is saved when the registry has override files: which file gets the
 * service's new `dependencies` list — the registry or one of its overrides — with the file whose
 * list is in force now preselected. Enter saves, Escape or Cancel saves nothing. Edits run in turn,
 * so one question is open at a time; the dialog lives in the app shell, so it is always answered.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { create } from 'zustand';
import { fileName } from '../../state/override-view';

export interface FileQuestion {
  /** What would be saved: "api now depends on worker". */
  readonly what: string;
  readonly service: string;
  /** The registry file first, then its override files, as the graph names them. */
  readonly files: readonly string[];
  readonly preselected: string;
}

const useQuestion = create<{ asked: (FileQuestion & { answer(file: string | undefined): void }) | undefined }>(() => ({ asked: undefined }));

/** The file the person chose, or undefined when they cancelled. */
export function askFile(question: FileQuestion): Promise<string | undefined> {
  return new Promise((resolve) => {
    const answer = (file: string | undefined) => {
      useQuestion.setState({ asked: undefined });
      resolve(file);
    };
    useQuestion.setState({ asked: { ...question, answer } });
  });
}

export function FileChoice() {
  const asked = useQuestion((s) => s.asked);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (asked && !dialog.current?.open) {
      dialog.current?.showModal();
      // On the preselected file, so arrows move between files and Enter saves at once.
      dialog.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
    }
    if (!asked && dialog.current?.open) dialog.current.close();
  }, [asked]);
  return (
    <dialog ref={dialog} className="confirm" aria-labelledby="file-choice-title" onClose={() => asked?.answer(undefined)} data-testid="file-choice">
      {asked ? <Choice key={`${asked.what} ${asked.preselected}`} question={asked} answer={asked.answer} /> : null}
    </dialog>
  );
}

function Choice({ question, answer }: { question: FileQuestion; answer: (file: string | undefined) => void }) {
  const [file, setFile] = useState(question.preselected);
  // Enter saves from a file's radio button too (browsers differ on submitting from one); on a button it presses that button.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key !== 'Enter' || event.target instanceof HTMLButtonElement) return;
    event.preventDefault();
    answer(file);
  };
  return (
    <form
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        answer(file);
      }}
    >
      <h2 id="file-choice-title">Save to which file?</h2>
      <p>{question.what}.</p>
      <fieldset className="file-choice">
        <legend>The file that gets {question.service}&apos;s dependencies list</legend>
        {question.files.map((choice, index) => (
          <label key={choice}>
            <input type="radio" name="file" value={choice} checked={file === choice} onChange={() => setFile(choice)} />
            <span className="file-choice-name">{fileName(choice)}</span>
            <span className="hint">
              {index === 0 ? 'registry' : 'override'}
              {choice === question.preselected ? ' · its list is here now' : ''}
            </span>
            <span className="hint file-choice-path">{choice}</span>
          </label>
        ))}
      </fieldset>
      <menu>
        <button type="button" onClick={() => answer(undefined)}>
          Cancel
        </button>
        <button type="submit">Save</button>
      </menu>
    </form>
  );
}
