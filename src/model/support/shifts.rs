//! The support teams' and the back office's shifts: each day's plan, the midnight handover and
//! the channels' opening hours, and the end-of-day snapshot.

use super::*;

impl<'s> SupportPart<'s> {
    /// Plans day `day`'s agent and back-office shifts and their hours.
    pub(super) fn plan_support_day(&mut self, day: u32, ctx: &mut Context<Event>) {
        let sc = self.sc;
        let cfg = self.cfg;
        let weekday = weekday_index(sc.date_of_day(day));
        let holiday = sc.calendar.is_holiday(u64::from(day));
        let day_start = u64::from(day) * MS_PER_DAY;
        let day_i = i64::from(day);
        let spans = self.spans.of_day(day as usize);
        let mut changes = std::mem::take(&mut self.plan);
        changes.clear();
        let d = &mut self.days[day as usize];
        self.hours = PerChannel::from_fn(|_| (Time::MAX, 0));
        for (ti, team) in cfg.teams.iter().enumerate() {
            let extra: u32 = cfg
                .overrides
                .iter()
                .filter(|o| o.from_day <= day_i && day_i <= o.to_day && o.team.is_none_or(|t| t == ti))
                .map(|o| o.extra_agents)
                .sum();
            for sh in team.shifts_on(day, weekday, holiday) {
                let n = sh.agents + extra;
                if n == 0 {
                    continue;
                }
                let hours = f64::from(sh.end_min - sh.start_min) / 60.0 * f64::from(n);
                d.agent_hours += hours;
                let (start, end) = (
                    day_start + u64::from(sh.start_min) * MS_PER_MIN,
                    day_start + u64::from(sh.end_min) * MS_PER_MIN,
                );
                self.hourly.on_shift(&team.serves, f64::from(n), start, end);
                for ch in team.serves.marked() {
                    d.agent_hours_by_channel[ch] += hours;
                    let h = &mut self.hours[ch];
                    *h = (h.0.min(start), h.1.max(end));
                }
                self.stats.each(spans, |s| s.agent_hours += hours);
                changes.push((start, n as i32, Some(ti as u8)));
                changes.push((end, -(n as i32), Some(ti as u8)));
            }
        }
        let bo = &cfg.back_office;
        if bo.staff > 0 && bo.days[weekday] {
            let n = bo.staff as i32;
            changes.push((day_start + u64::from(bo.start_min) * MS_PER_MIN, n, None));
            changes.push((day_start + u64::from(bo.end_min) * MS_PER_MIN, -n, None));
            let hours = f64::from(bo.end_min - bo.start_min) / 60.0 * f64::from(bo.staff);
            self.stats.each(spans, |s| s.back_office_hours += hours);
        }
        // Leavers before joiners at the same instant during the day, so back-to-back shifts hand
        // over cleanly; at midnight (now) joiners before leavers, so round-the-clock cover never
        // lapses: the shifts ending at 24:00 yesterday leave after today's first shifts joined.
        changes.sort_by_key(|&(at, delta, _)| (at, delta > 0));
        let mut handover = std::mem::take(&mut self.handover);
        handover.extend(changes.iter().filter(|c| c.0 == day_start));
        handover.sort_by_key(|c| c.1 < 0);
        for &(_, delta, team) in &handover {
            self.change_staff(team, delta, day_start);
        }
        handover.clear();
        for &(at, delta, team) in changes.iter().filter(|c| c.0 > day_start) {
            if at >= day_start + MS_PER_DAY {
                handover.push((at, delta, team));
                continue;
            }
            let ev = match team {
                Some(t) => SupportEvent::Agents(t, delta),
                None => SupportEvent::BackOfficeStaff(delta),
            };
            ctx.schedule_at(at, event(self.me, ev));
        }
        self.handover = handover;
        self.plan = changes;
        self.dispatch_agents(ctx);
        self.dispatch_back_office(ctx);
    }

    /// Closes day `day`'s support counters.
    pub(super) fn close_support_day(&mut self, day: usize) {
        if let Some(d) = self.days.get_mut(day) {
            d.backlog = self.ledger.open;
        }
    }
}
