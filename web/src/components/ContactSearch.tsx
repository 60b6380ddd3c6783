// Header search: debounced GET /contacts?q=, results as an ARIA combobox listbox. Focus stays in
// the input; arrows move the highlighted result, Enter opens it, Escape closes the list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../api/client';
import { api } from '../api/endpoints';
import type { Contact } from '../api/types';
import { displayName, formatPhone } from '../domain/format';
import { navigate } from '../router';
import { navigate as navigateResults } from '../store/search-nav';
import { Icon } from './icons';

const DEBOUNCE_MS = 250;

export function ContactSearch() {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Contact[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState<'idle' | 'loading' | 'error'>('idle');
  const listId = 'contact-search-results';

  useEffect(() => {
    const q = query.trim();
    if (q.length === 0) {
      setResults([]);
      setStatus('idle');
      return;
    }
    setStatus('loading');
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api
        .searchContacts(q, controller.signal)
        .then((page) => {
          setResults(page.data);
          setActive(-1);
          setStatus('idle');
        })
        .catch((error: unknown) => {
          if (!isAbort(error)) setStatus('error');
        });
    }, DEBOUNCE_MS);
    // A newer keystroke cancels both the pending timer and the request in flight, so results
    // for "smi" can never land after those for "smith".
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const choose = (contact: Contact) => {
    setOpen(false);
    setQuery('');
    navigate(`/contacts/${contact.id}`);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const outcome = navigateResults(e.key, active, open ? results.length : 0);
    switch (outcome.kind) {
      case 'move':
        e.preventDefault();
        setActive(outcome.active);
        return;
      case 'select': {
        e.preventDefault();
        const contact = results[outcome.index];
        if (contact) choose(contact);
        return;
      }
      case 'close':
        setOpen(false);
        setActive(-1);
        return;
      case 'ignore':
        return;
    }
  };

  const showList = open && query.trim().length > 0;
  const optionId = (i: number) => `contact-search-option-${i}`;
  const rootRef = useRef<HTMLFormElement>(null);

  return (
    <form
      class="search"
      role="search"
      ref={rootRef}
      onSubmit={(e) => e.preventDefault()}
      onFocusOut={(e) => {
        // Close when focus leaves the whole widget (not when it moves to a result by mouse).
        if (!rootRef.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <label for="contact-search" class="visually-hidden">
        Search contacts
      </label>
      <span class="search-icon">
        <Icon name="search" size={18} />
      </span>
      <input
        id="contact-search"
        data-testid="contact-search"
        type="search"
        placeholder="Search name, phone, email"
        autocomplete="off"
        spellcheck={false}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? optionId(active) : undefined}
        value={query}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <ul id={listId} class="search-results" role="listbox" aria-label="Matching contacts">
          {status === 'loading' && results.length === 0 && <li class="search-note">Searching…</li>}
          {status === 'error' && <li class="search-note">Search failed. Keep typing to retry.</li>}
          {status === 'idle' && results.length === 0 && <li class="search-note">No matching contacts</li>}
          {results.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              data-testid="search-result"
              class={i === active ? 'active' : undefined}
              tabIndex={-1}
              onMouseDown={(e) => e.preventDefault() /* keep focus in the input */}
              onClick={() => choose(c)}
              onMouseMove={() => setActive(i)}
            >
              <span class="result-name">{displayName(c)}</span>
              <span class="result-meta">{[formatPhone(c.phone), c.email].filter(Boolean).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
