import { useQuery } from '@tanstack/react-query';
import { healthQuery } from '../api/health';

export type ServiceState = 'checking' | 'online' | 'offline';

export function useServiceState(): ServiceState {
  const { isPending, isError } = useQuery(healthQuery);
  if (isPending) return 'checking';
  return isError ? 'offline' : 'online';
}
