"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ThroughputPoint } from "@/lib/jobs/throughput";

/** LLM calls and pairs per second over the job's time (the page refreshes it while the job runs). */
export function ThroughputChart({ points }: { points: ThroughputPoint[] }) {
  return (
    <div style={{ width: "100%", height: 220 }} data-testid="throughput-chart">
      <ResponsiveContainer>
        <LineChart data={points} margin={{ left: 8, right: 16, top: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="t" unit=" s" tick={{ fontSize: 11 }} />
          <YAxis tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={(t) => `${t} s after the start`} />
          <Legend />
          <Line
            type="monotone"
            dataKey="callsPerSecond"
            name="calls/s"
            stroke="#4f46e5"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            type="monotone"
            dataKey="pairsPerSecond"
            name="pairs/s"
            stroke="#059669"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
