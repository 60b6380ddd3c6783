// Name, numbers, email, address, tags. On a phone only the name and main number show until
// "Details" is pressed, so the timeline keeps the screen.
import { useState } from 'preact/hooks';
import type { ContactDetail } from '../api/types';
import { displayName, formatPhone } from '../domain/format';
import { Icon } from './icons';

export function ContactCard({ contact }: { contact: ContactDetail }) {
  const [expanded, setExpanded] = useState(false);
  const numbers = [...new Set([contact.phone, ...(contact.phone_numbers ?? [])].filter((n): n is string => !!n))];
  const cityLine = [contact.city, [contact.state, contact.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const address = [contact.street, cityLine, contact.country].filter(Boolean);
  const tags = contact.tags ?? [];

  return (
    <section class={`contact-card${expanded ? ' expanded' : ''}`} aria-labelledby="contact-name">
      <div class="contact-head">
        <h1 id="contact-name" data-testid="contact-name">
          {displayName(contact)}
        </h1>
        <button
          type="button"
          class="btn-quiet details-toggle"
          aria-expanded={expanded}
          aria-controls="contact-details"
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Less' : 'Details'}
        </button>
      </div>
      {contact.company && contact.company !== displayName(contact) && <p class="muted">{contact.company}</p>}
      {contact.opted_out_at && (
        <p class="warning" role="note">
          <Icon name="alert" size={16} /> Opted out of texts on {new Date(contact.opted_out_at).toLocaleDateString()}
        </p>
      )}
      <dl id="contact-details" class="contact-details">
        {numbers.length > 0 && (
          <>
            <dt>Phone</dt>
            {numbers.map((n) => (
              <dd key={n}>
                <a href={`tel:${n}`}>{formatPhone(n)}</a>
              </dd>
            ))}
          </>
        )}
        {contact.email && (
          <>
            <dt>Email</dt>
            <dd>
              <a href={`mailto:${contact.email}`}>{contact.email}</a>
            </dd>
          </>
        )}
        {address.length > 0 && (
          <>
            <dt>Address</dt>
            <dd>
              <address>
                {address.map((line, i) => (
                  <span key={i} class="address-line">
                    {line}
                  </span>
                ))}
              </address>
            </dd>
          </>
        )}
        {tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>
              <ul class="tags">
                {tags.map((t) => (
                  <li key={t} class="tag">
                    {t}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
