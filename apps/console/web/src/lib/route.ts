import { useEffect, useState } from 'react';

// The console's pages live behind the URL's hash (#/queue, #/cases/<id>…): the console service serves one
// index.html and needs no knowledge of the pages.

export type Route =
  | { readonly page: 'login' }
  | { readonly page: 'queue' }
  | { readonly page: 'case'; readonly id: string }
  | { readonly page: 'approvals' }
  | { readonly page: 'dashboard' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  switch (parts[0]) {
    case 'login':
      return { page: 'login' };
    case 'cases':
      return parts[1] === undefined ? { page: 'queue' } : { page: 'case', id: decodeURIComponent(parts[1]) };
    case 'approvals':
      return { page: 'approvals' };
    case 'dashboard':
      return { page: 'dashboard' };
    default:
      return { page: 'queue' };
  }
}

export function href(route: Route): string {
  return route.page === 'case' ? `#/cases/${encodeURIComponent(route.id)}` : `#/${route.page}`;
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
