#!/usr/bin/env python3
"""Writes HDF5 demonstration fixtures with h5py (the reference HDF5 writer of the field) in the layouts of
D4RL, Minari and robomimic, good and deliberately broken, for Quill's interoperability tests.

Usage: make_hdf5.py OUT_DIR FIXTURE [--steps N]

Values are hand-computable: in episode e, step t, state dimension j = 100*e + 10*t + j and action
dimension j = -(100*e + 10*t + j) / 1000; rewards are t. Run with Debian's python3 (python3-h5py).
"""
import os
import sys

import h5py
import numpy as np


def state(e, t, d):
    return np.array([100 * e + 10 * t + j for j in range(d)], dtype=np.float32)


def action(e, t, a):
    return np.array([-(100 * e + 10 * t + j) / 1000.0 for j in range(a)], dtype=np.float32)


def episode_arrays(e, n, d=3, a=2, extra_obs=0):
    obs = np.stack([state(e, t, d) for t in range(n + extra_obs)]) if n + extra_obs > 0 else np.zeros((0, d), np.float32)
    act = np.stack([action(e, t, a) for t in range(n)]) if n > 0 else np.zeros((0, a), np.float32)
    rew = np.arange(n, dtype=np.float32)
    return obs, act, rew


def d4rl(path, lengths, ends, d=3, a=2, gzip=True, nan_at=None, drop=None, rewards_rank=1):
    """Flat D4RL file; episode k has lengths[k] steps and ends with ends[k] in {'terminal','timeout','none'}."""
    obs, act, rew, term, tout = [], [], [], [], []
    for e, (n, end) in enumerate(zip(lengths, ends)):
        o, ac, r = episode_arrays(e, n, d, a)
        obs.append(o); act.append(ac); rew.append(r)
        t = np.zeros(n, bool); to = np.zeros(n, bool)
        if end == 'terminal':
            t[-1] = True
        elif end == 'timeout':
            to[-1] = True
        term.append(t); tout.append(to)
    data = {'observations': np.concatenate(obs), 'actions': np.concatenate(act), 'rewards': np.concatenate(rew),
            'terminals': np.concatenate(term), 'timeouts': np.concatenate(tout)}
    if nan_at is not None:
        data['actions'][nan_at] = np.nan
    if rewards_rank == 2:
        data['rewards'] = data['rewards'].reshape(-1, 1, 1)
    with h5py.File(path, 'w') as f:
        for k, v in data.items():
            if k == drop:
                continue
            if gzip and v.ndim == 2:
                f.create_dataset(k, data=v, compression='gzip', compression_opts=4, chunks=(min(4, len(v)), v.shape[1]))
            elif gzip and v.ndim == 1:
                f.create_dataset(k, data=v, compression='gzip', chunks=(min(4, len(v)),))
            else:
                f.create_dataset(k, data=v)
        f.create_dataset('infos/qpos', data=data['observations'][:, :1])


def minari(path, lengths, ids=None, extra_obs=1, d=3, a=2, dict_obs=False, actions_dtype=None):
    """Minari HDF5 storage: episode_{id} groups, T+1 observations, chunked resizable datasets."""
    ids = ids if ids is not None else list(range(len(lengths)))
    with h5py.File(path, 'w') as f:
        for e, n in zip(ids, lengths):
            g = f.create_group('episode_%d' % e)
            g.attrs['id'] = e
            g.attrs['total_steps'] = n
            o, ac, r = episode_arrays(e, n, d, a, extra_obs)
            if dict_obs:
                og = g.create_group('observations')
                og.create_dataset('b_pos', data=o[:, 1:], chunks=True, maxshape=(None, d - 1))
                og.create_dataset('a_joint', data=o[:, :1], chunks=True, maxshape=(None, 1))
            else:
                g.create_dataset('observations', data=o, chunks=True, maxshape=(None, d))
            if actions_dtype == 'string':
                g.create_dataset('actions', data=np.array([b'x'] * n))
            else:
                g.create_dataset('actions', data=ac, chunks=True, maxshape=(None, a))
            g.create_dataset('rewards', data=r, chunks=True, maxshape=(None,))
            term = np.zeros(n, bool)
            if n > 0:
                term[-1] = True
            g.create_dataset('terminations', data=term, chunks=True, maxshape=(None,))
            g.create_dataset('truncations', data=np.zeros(n, bool), chunks=True, maxshape=(None,))


def robomimic(path, lengths, names=None, mask=None, bad=None):
    """robomimic: data/demo_N/{obs/*, actions, rewards, dones}, gzip-compressed obs, mask/* splits."""
    names = names if names is not None else ['demo_%d' % i for i in range(len(lengths))]
    with h5py.File(path, 'w') as f:
        data = f.create_group('data')
        data.attrs['total'] = int(sum(lengths))
        data.attrs['env_args'] = '{"env_name": "Lift", "env_type": 1, "env_kwargs": {}}'
        for name, n in zip(names, lengths):
            e = int(name[5:])
            g = data.create_group(name)
            g.attrs['num_samples'] = n
            o, ac, r = episode_arrays(e, n, 3, 2)
            obs = g.create_group('obs')
            obs.create_dataset('robot0_eef_pos', data=o[:, :2], compression='gzip', chunks=(2, 2))
            obs.create_dataset('robot0_gripper_qpos', data=o[:, 2:].astype(np.float64), compression='gzip', chunks=(2, 1))
            obs.create_dataset('agentview_image', data=np.zeros((n, 4, 4, 3), np.uint8), compression='gzip')
            if bad == 'rank' and name == names[-1]:
                g.create_dataset('actions', data=ac[:, 0])
            elif bad != 'missing' or name != names[-1]:
                g.create_dataset('actions', data=ac, compression='gzip', chunks=(2, 2))
            rew = r if not (bad == 'length' and name == names[-1]) else r[:-1]
            g.create_dataset('rewards', data=rew.astype(np.float64))
            dones = np.zeros(n, np.int64)
            if n > 0:
                dones[-1] = 1
            g.create_dataset('dones', data=dones)
        if mask:
            for k, v in mask.items():
                f.create_dataset('mask/' + k, data=np.array([s.encode() for s in v], dtype='S'))


FIXTURES = {
    # D4RL: episode 0 (4 steps) ends at a terminal, episode 1 (3) at a timeout, episode 2 (2) at the end of the file.
    'd4rl': lambda out: d4rl(os.path.join(out, 'hopper-medium-v2.hdf5'), [4, 3, 2], ['terminal', 'timeout', 'none']),
    'd4rl_nonfinite': lambda out: d4rl(os.path.join(out, 'd.hdf5'), [4, 3], ['terminal', 'timeout'], nan_at=5),
    'd4rl_missing': lambda out: d4rl(os.path.join(out, 'd.hdf5'), [4, 3], ['terminal', 'timeout'], drop='actions'),
    'd4rl_rank': lambda out: d4rl(os.path.join(out, 'd.hdf5'), [4, 3], ['terminal', 'timeout'], rewards_rank=2),
    'd4rl_actdim': lambda out: (d4rl(os.path.join(out, 'a.hdf5'), [4, 3], ['terminal', 'timeout']),
                                d4rl(os.path.join(out, 'b.hdf5'), [3], ['terminal'], a=4)),
    'd4rl_truncated': lambda out: (d4rl(os.path.join(out, 'a.hdf5'), [4, 3], ['terminal', 'timeout'], gzip=False),
                                   d4rl(os.path.join(out, 'b.hdf5'), [4, 3], ['terminal', 'timeout']),
                                   truncate(os.path.join(out, 'b.hdf5'))),
    # Minari: episodes 0..2 with 3, 2, 4 steps (and 4, 3, 5 observations).
    'minari': lambda out: minari_dataset(out, [3, 2, 4]),
    'minari_dict': lambda out: minari_dataset(out, [3, 2], dict_obs=True),
    'minari_obs_count': lambda out: minari_dataset(out, [3, 2], extra_obs=0),
    'minari_short': lambda out: minari_dataset(out, [3, 1, 0]),
    'minari_dtype': lambda out: minari_dataset(out, [3], actions_dtype='string'),
    'minari_duplicate': lambda out: (minari(os.path.join(out, 'a.hdf5'), [3, 2], ids=[0, 1]),
                                     minari(os.path.join(out, 'b.hdf5'), [2], ids=[1])),
    # robomimic: demo_0 (3 steps), demo_1 (2), demo_10 (4); mask/train = demo_0, demo_10; mask/valid = demo_1.
    'robomimic': lambda out: robomimic(os.path.join(out, 'low_dim.hdf5'), [3, 2, 4], ['demo_0', 'demo_1', 'demo_10'],
                                       mask={'train': ['demo_0', 'demo_10'], 'valid': ['demo_1']}),
    'robomimic_missing': lambda out: robomimic(os.path.join(out, 'r.hdf5'), [3, 2], bad='missing'),
    'robomimic_rank': lambda out: robomimic(os.path.join(out, 'r.hdf5'), [3, 2], bad='rank'),
    'robomimic_length': lambda out: robomimic(os.path.join(out, 'r.hdf5'), [3, 2], bad='length'),
}


def minari_dataset(out, lengths, **kw):
    os.makedirs(os.path.join(out, 'data'), exist_ok=True)
    with open(os.path.join(out, 'data', 'metadata.json'), 'w') as f:
        f.write('{"dataset_id": "quill/test-v0", "total_episodes": %d, "total_steps": %d, "data_format": "hdf5"}'
                % (len(lengths), sum(lengths)))
    minari(os.path.join(out, 'data', 'main_data.hdf5'), lengths, **kw)


def truncate(path):
    size = os.path.getsize(path)
    with open(path, 'r+b') as f:
        f.truncate(size // 2)


def bench(out, steps, episode_len=1000, d=17, a=6):
    """D4RL-layout file of `steps` steps (gzip-compressed chunked datasets), random values."""
    rng = np.random.default_rng(7)
    obs = rng.standard_normal((steps, d), dtype=np.float32)
    act = rng.uniform(-1, 1, (steps, a)).astype(np.float32)
    term = np.zeros(steps, bool)
    term[episode_len - 1::episode_len] = True
    with h5py.File(os.path.join(out, 'bench.hdf5'), 'w') as f:
        f.create_dataset('observations', data=obs, compression='gzip', chunks=(4096, d))
        f.create_dataset('actions', data=act, compression='gzip', chunks=(4096, a))
        f.create_dataset('rewards', data=rng.standard_normal(steps).astype(np.float32), compression='gzip', chunks=(4096,))
        f.create_dataset('terminals', data=term, compression='gzip', chunks=(4096,))
        f.create_dataset('timeouts', data=np.zeros(steps, bool), compression='gzip', chunks=(4096,))


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit('usage: make_hdf5.py OUT_DIR FIXTURE [--steps N]; fixtures: ' + ', '.join(sorted(FIXTURES)) + ', bench')
    out, name = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    if name == 'bench':
        bench(out, int(sys.argv[4]) if len(sys.argv) > 4 else 1_000_000)
    elif name in FIXTURES:
        FIXTURES[name](out)
    else:
        sys.exit('unknown fixture ' + name)
