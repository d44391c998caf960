"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Per-instruction-id change in strict accuracy (B − A, percentage points), one bar per id. */
export function DeltaChart({ deltas }: { deltas: { id: string; delta: number }[] }) {
  const data = deltas.map((d) => ({ id: d.id, points: Math.round(d.delta * 1000) / 10 }));
  return (
    <div style={{ width: "100%", height: Math.max(240, data.length * 22) }} data-testid="delta-chart">
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ left: 24, right: 16 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" unit=" pp" />
          <YAxis type="category" dataKey="id" width={260} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(value) => [`${value} pp`, "B − A"]} />
          <Bar dataKey="points" isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.id} fill={d.points >= 0 ? "#059669" : "#e11d48"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
