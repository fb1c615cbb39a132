#pragma once

#include "harness.h"
#include "report.h"

namespace confab::bench {

// Each scenario fills `report` and returns false when it could not run at all
// (then the report says why in a note).
bool runFanout(Harness& h, Report& report);
bool runChatmix(Harness& h, Report& report);
bool runIngest(Harness& h, Report& report);
bool runConnections(Harness& h, Report& report);
bool runHistory(Harness& h, Report& report);
bool runFlood(Harness& h, Report& report);
bool runSoak(Harness& h, Report& report);

// chatmix's users, groups and DMs from its knobs (history reuses it).
PopulationSpec chatmixSpec(const Harness& h, int extraUsers = 0);
QList<ConnectionSpec> chatmixConnections(const PopulationSpec& spec);

// Connects, samples the server, runs the traffic, samples again and reports:
// the part fanout, chatmix and ingest share. `during` runs on the main
// thread once the traffic has started (history's probes).
bool runTraffic(Harness& h, Report& report, const Population& pop, const QList<ConnectionSpec>& conns,
                const TrafficConfig& config, const std::function<void()>& during = {});

} // namespace confab::bench
