// Writes LeRobot-layout fixtures (v2.1 and v3.0) with hyparquet-writer, a Parquet writer independent of
// Spark/parquet-mr, for Quill's interoperability tests.
// Usage: node make_lerobot.mjs OUT_DIR FIXTURE   (FIXTURE: v21, v30, v21_timestamps, v21_short)
// Values: in episode e, frame t, state dimension j = 100*e + 10*t + j; action j = -(100*e + 10*t + j)/1000.
import { parquetWriteFile } from 'hyparquet-writer'
import fs from 'node:fs'
import path from 'node:path'

const D = 3
const A = 2

function vectorColumn(name, width) {
  return [
    { name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
  ]
}

function frames(episodes, firstIndex, tweak) {
  const rows = { state: [], action: [], timestamp: [], frame: [], episode: [], index: [], task: [], reward: [], done: [] }
  let index = firstIndex
  for (const [e, n] of episodes) {
    for (let t = 0; t < n; t++) {
      rows.state.push(Array.from({ length: D }, (_, j) => 100 * e + 10 * t + j))
      rows.action.push(Array.from({ length: A }, (_, j) => -(100 * e + 10 * t + j) / 1000))
      rows.timestamp.push(t / 10)
      rows.frame.push(BigInt(t))
      rows.episode.push(BigInt(e))
      rows.index.push(BigInt(index++))
      rows.task.push(BigInt(0))
      rows.reward.push(t)
      rows.done.push(t === n - 1)
    }
  }
  if (tweak) tweak(rows)
  return rows
}

function writeData(file, rows) {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const schema = [
    { name: 'root', num_children: 9 },
    ...vectorColumn('observation.state', D),
    ...vectorColumn('action', A),
    { name: 'timestamp', type: 'FLOAT', repetition_type: 'OPTIONAL' },
    { name: 'frame_index', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 'episode_index', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 'index', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 'task_index', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 'next.reward', type: 'FLOAT', repetition_type: 'OPTIONAL' },
    { name: 'next.done', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
  ]
  parquetWriteFile({
    filename: file,
    schema,
    columnData: [
      { name: 'observation.state', data: rows.state },
      { name: 'action', data: rows.action },
      { name: 'timestamp', data: rows.timestamp },
      { name: 'frame_index', data: rows.frame },
      { name: 'episode_index', data: rows.episode },
      { name: 'index', data: rows.index },
      { name: 'task_index', data: rows.task },
      { name: 'next.reward', data: rows.reward },
      { name: 'next.done', data: rows.done },
    ],
  })
}

function info(version, episodes) {
  const total = episodes.reduce((s, [, n]) => s + n, 0)
  return {
    codebase_version: version, robot_type: 'so100', total_episodes: episodes.length, total_frames: total,
    total_tasks: 1, chunks_size: 1000, fps: 10, splits: { train: '0:' + episodes.length },
    data_path: version === 'v3.0' ? 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet'
      : 'data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet',
    features: {
      'observation.state': { dtype: 'float32', shape: [D], names: ['x', 'y', 'z'] },
      action: { dtype: 'float32', shape: [A], names: ['dx', 'dy'] },
      'observation.images.top': { dtype: 'video', shape: [480, 640, 3], names: ['height', 'width', 'channels'] },
      timestamp: { dtype: 'float32', shape: [1] }, frame_index: { dtype: 'int64', shape: [1] },
      episode_index: { dtype: 'int64', shape: [1] }, index: { dtype: 'int64', shape: [1] },
      task_index: { dtype: 'int64', shape: [1] },
    },
  }
}

function v21(out, episodes, tweaks = {}) {
  fs.mkdirSync(path.join(out, 'meta'), { recursive: true })
  fs.writeFileSync(path.join(out, 'meta/info.json'), JSON.stringify(info('v2.1', episodes), null, 2))
  fs.writeFileSync(path.join(out, 'meta/tasks.jsonl'), JSON.stringify({ task_index: 0, task: 'pick the cube' }) + '\n')
  fs.writeFileSync(path.join(out, 'meta/episodes.jsonl'),
    episodes.map(([e, n]) => JSON.stringify({ episode_index: e, tasks: ['pick the cube'], length: n })).join('\n') + '\n')
  fs.writeFileSync(path.join(out, 'meta/episodes_stats.jsonl'), episodes.map(([e, n]) => JSON.stringify({
    episode_index: e, stats: { action: { min: [0, 0], max: [0, 0], mean: [0, 0], std: [0, 0], count: [n] } } })).join('\n') + '\n')
  let index = 0
  for (const [e, n] of episodes) {
    const file = path.join(out, `data/chunk-000/episode_${String(e).padStart(6, '0')}.parquet`)
    writeData(file, frames([[e, n]], index, tweaks[e]))
    index += n
  }
}

function v30(out, files) {
  const episodes = files.flat()
  fs.mkdirSync(path.join(out, 'meta/episodes/chunk-000'), { recursive: true })
  fs.writeFileSync(path.join(out, 'meta/info.json'), JSON.stringify(info('v3.0', episodes), null, 2))
  fs.writeFileSync(path.join(out, 'meta/stats.json'), JSON.stringify({ action: { min: [0, 0], max: [0, 0] } }))
  let index = 0
  const meta = { episode: [], length: [], from: [], to: [], file: [] }
  files.forEach((eps, f) => {
    writeData(path.join(out, `data/chunk-000/file-${String(f).padStart(3, '0')}.parquet`), frames(eps, index))
    for (const [e, n] of eps) {
      meta.episode.push(BigInt(e)); meta.length.push(BigInt(n)); meta.from.push(BigInt(index))
      meta.to.push(BigInt(index + n)); meta.file.push(BigInt(f)); index += n
    }
  })
  parquetWriteFile({
    filename: path.join(out, 'meta/episodes/chunk-000/file-000.parquet'),
    columnData: [
      { name: 'episode_index', data: meta.episode, type: 'INT64' },
      { name: 'length', data: meta.length, type: 'INT64' },
      { name: 'dataset_from_index', data: meta.from, type: 'INT64' },
      { name: 'dataset_to_index', data: meta.to, type: 'INT64' },
      { name: 'data/chunk_index', data: meta.file.map(() => 0n), type: 'INT64' },
      { name: 'data/file_index', data: meta.file, type: 'INT64' },
    ],
  })
}

const fixtures = {
  // v2.1: episodes 0, 1, 2 with 3, 4, 2 frames, one file each.
  v21: (out) => v21(out, [[0, 3], [1, 4], [2, 2]]),
  // v3.0: file-000 holds episodes 0 and 1 (3 and 4 frames), file-001 episode 2 (2 frames).
  v30: (out) => v30(out, [[[0, 3], [1, 4]], [[2, 2]]]),
  // v2.1 where episode 1's timestamp goes back at frame 2, and episode 2 has a single frame.
  v21_bad: (out) => v21(out, [[0, 3], [1, 4], [2, 1]], { 1: (rows) => { rows.timestamp[2] = 0.05 } }),
}

const [out, name] = process.argv.slice(2)
if (!fixtures[name]) {
  console.error('usage: node make_lerobot.mjs OUT_DIR FIXTURE; fixtures: ' + Object.keys(fixtures).join(', '))
  process.exit(2)
}
fixtures[name](out)
