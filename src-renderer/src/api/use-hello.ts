/** The owner's hello (who owns supervision, of which registry, found where): fixed for its life, so asked once. */
import { useQuery } from '@tanstack/react-query';
import { useClient } from './client-context';

export function useHello() {
  const client = useClient();
  return useQuery({ queryKey: ['hello'], queryFn: () => client.call('hello'), staleTime: Infinity }).data;
}
