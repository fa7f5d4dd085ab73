import { useState } from 'preact/hooks';
import { adminKey } from '../api/client';

/**
 * Asks once for the local host's admin key (ENTRA_JML_HOST_MASTER_KEY) when a call answered 401. Kept in
 * sessionStorage: gone when the tab closes.
 */
export function KeyForm(props: { onSaved: () => void }) {
  const [key, setKey] = useState('');
  return (
    <section class="panel key-form" aria-labelledby="key-title">
      <h2 id="key-title">Admin key needed</h2>
      <p>
        This host protects its admin routes. Enter its admin key (<code>ENTRA_JML_HOST_MASTER_KEY</code>); it is kept
        for this tab only.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!key) return;
          adminKey.set(key);
          props.onSaved();
        }}
      >
        <label for="admin-key">Admin key</label>
        <input
          id="admin-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
        <button type="submit" class="primary">
          Use this key
        </button>
      </form>
    </section>
  );
}
