import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OverlapDto, SessionsResponse } from './dto/sessions.response';
import { MarketSession } from './market-session.entity';
import { type ClockMode, type Overlap, readClock, type SessionDefinition } from './session-clock';

const hhmm = (time: string): string => time.slice(0, 5);

/** Reads the active sessions from `market_sessions` and evaluates them with the pure session clock. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(MarketSession) private readonly sessions: Repository<MarketSession>,
  ) {}

  /** Active sessions in table order (the seed lists them Tokyo, London, NewYork, Sydney). */
  async activeSessions(): Promise<MarketSession[]> {
    return this.sessions.find({ where: { isActive: true }, order: { id: 'ASC' } });
  }

  async at(instant: Date, dstAware: boolean): Promise<SessionsResponse> {
    const rows = await this.activeSessions();
    const mode: ClockMode = dstAware ? 'dst_aware' : 'utc';
    const at = instant.getTime();
    const defs: SessionDefinition[] = rows.map((r) => ({
      name: r.sessionName,
      openUtc: r.openUtc,
      closeUtc: r.closeUtc,
      timezone: r.timezone,
      localOpen: r.localOpen,
      localClose: r.localClose,
    }));
    const reading = readClock(defs, at, mode);
    const overlap = (o: Overlap): OverlapDto => ({
      name: o.sessions.join('/'),
      sessions: [...o.sessions],
      start: new Date(o.start).toISOString(),
      end: new Date(o.end).toISOString(),
      starts_in_seconds: Math.round((o.start - at) / 1000),
      ends_in_seconds: Math.round((o.end - at) / 1000),
    });
    return {
      at: instant.toISOString(),
      dst_aware: dstAware,
      sessions: reading.sessions.map((s, i) => ({
        name: s.name,
        description: rows[i].description,
        timezone: rows[i].timezone,
        open_utc: hhmm(rows[i].openUtc),
        close_utc: hhmm(rows[i].closeUtc),
        local_open: hhmm(rows[i].localOpen),
        local_close: hhmm(rows[i].localClose),
        effective_open_utc: s.effectiveOpenUtc,
        effective_close_utc: s.effectiveCloseUtc,
        is_open: s.isOpen,
        opens_in_seconds: s.opensInSeconds,
        closes_in_seconds: s.closesInSeconds,
        next_open: new Date(s.nextOpen).toISOString(),
        next_close: new Date(s.nextClose).toISOString(),
      })),
      open_sessions: reading.sessions.filter((s) => s.isOpen).map((s) => s.name),
      overlaps: reading.overlaps.map(overlap),
      upcoming_overlaps: reading.upcomingOverlaps.map(overlap),
    };
  }
}
