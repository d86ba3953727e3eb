import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/** The team whose page (or invitation) is open: the left menu shows its sections. */
export type OpenTeam = { id: string; name: string; organizationId: string };

type OpenTeamContextValue = { openTeam: OpenTeam | null; setOpenTeam: (team: OpenTeam | null) => void };

const OpenTeamContext = createContext<OpenTeamContextValue | null>(null);

export function OpenTeamProvider({ children }: { children: ReactNode }) {
  const [openTeam, setOpenTeam] = useState<OpenTeam | null>(null);
  const value = useMemo(() => ({ openTeam, setOpenTeam }), [openTeam]);
  return <OpenTeamContext.Provider value={value}>{children}</OpenTeamContext.Provider>;
}

export function useOpenTeam(): OpenTeam | null {
  return useContext(OpenTeamContext)?.openTeam ?? null;
}

/** A page of one team says so while it is shown; leaving it closes the team's menu again. */
export function useAnnounceOpenTeam(team: OpenTeam | null): void {
  const setOpenTeam = useContext(OpenTeamContext)?.setOpenTeam;
  const id = team?.id;
  const name = team?.name;
  const organizationId = team?.organizationId;
  useEffect(() => {
    if (!setOpenTeam || !id || name === undefined || !organizationId) return;
    setOpenTeam({ id, name, organizationId });
    return () => setOpenTeam(null);
  }, [setOpenTeam, id, name, organizationId]);
}
