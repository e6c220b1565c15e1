"""Exact shares of the divisible items for three or more parties, by the optimality conditions of
the Eisenberg-Gale program (no Django).

With the whole items fixed (party i already holds utility c_i from them), the best split of the
divisible items maximises sum(log(c_i + sum_j v_ij x_ij)) over the parties who can be pleased.
It is a concave program, so its Karush-Kuhn-Tucker conditions are sufficient: shares x and prices
p_j >= 0 with

- every item's shares summing to 1 (every divisible item someone values has a positive price);
- v_ij / u_i <= p_j for every party and item, with equality wherever x_ij > 0.

A float solution (from the MILP) only suggests which pairs hold a share. On a spanning forest of
those pairs everything is then solved with Fractions: in a connected part, p_j = v_ij / u_i along
each edge ties all the 1/u_i and p_j to one unknown, and the spending identity
sum_j p_j x_ij = 1 - c_i / u_i summed over the part fixes it; the shares follow leaf by leaf.
Every condition above is then checked exactly. If a check fails the caller keeps the float
answer and says it is not proven; if they all pass, the split is the exact optimum for that
assignment of the whole items (the utilities of the optimum are unique).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

ZERO = Fraction(0)


def exact_split(
    v: Sequence[Sequence[int]],
    base: Sequence[Fraction | int],
    items: Sequence[int],
    hint: dict[tuple[int, int], float],
    pleased: Sequence[int],
) -> dict[tuple[int, int], Fraction] | None:
    """Exact shares x[(i, j)] of the divisible `items` among the parties in `pleased`, given each
    party's utility `base` from whole items and a float solution `hint`; None if the conditions
    cannot be met on the hinted support (then nothing is proven). The float solution's tiny
    shares may be rounding noise or real: supports from several cut-offs are tried, and the
    first that passes the exact checks is the answer (any that passes is the optimum)."""
    for cutoff in CUTOFFS:
        found = _on_support(v, base, items, hint, pleased, cutoff)
        if found is not None:
            return found
    return None


CUTOFFS = (1e-6, 1e-9, 1e-4, 1e-3, 1e-2)


def _on_support(
    v: Sequence[Sequence[int]],
    base: Sequence[Fraction | int],
    items: Sequence[int],
    hint: dict[tuple[int, int], float],
    pleased: Sequence[int],
    cutoff: float,
) -> dict[tuple[int, int], Fraction] | None:
    parties = list(pleased)
    valued = [j for j in items if any(v[i][j] for i in parties)]
    # the hinted support, largest shares first, as a spanning forest (union-find)
    edges = sorted(
        ((x, i, j) for (i, j), x in hint.items() if j in valued and i in parties and v[i][j] > 0),
        reverse=True,
    )
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    forest: list[tuple[int, int]] = []
    for x, i, j in edges:
        if x <= cutoff:
            continue
        a, b = find(("p", i)), find(("i", j))
        if a != b:
            parent[a] = b
            forest.append((i, j))
    if any(not any(e[1] == j for e in forest) for j in valued):
        return None  # an item nobody holds in the hint: no price for it
    adjacency: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for i, j in forest:
        adjacency.setdefault(("p", i), []).append((i, j))
        adjacency.setdefault(("i", j), []).append((i, j))
    beta: dict[int, Fraction] = {}  # 1 / u_i
    price: dict[int, Fraction] = {}
    seen: set[tuple[str, int]] = set()
    for start in [("p", i) for i in parties] + [("i", j) for j in valued]:
        if start in seen or start not in adjacency:
            continue
        # coefficients of the component's one unknown t: beta_i = rb[i] * t, p_j = rp[j] * t
        rb: dict[int, Fraction] = {}
        rp: dict[int, Fraction] = {}
        if start[0] == "p":
            rb[start[1]] = Fraction(1)
        else:
            rp[start[1]] = Fraction(1)
        stack = [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            for i, j in adjacency[node]:
                if node[0] == "p" and ("i", j) not in seen:
                    rp[j] = v[i][j] * rb[i]
                    seen.add(("i", j))
                    stack.append(("i", j))
                elif node[0] == "i" and ("p", i) not in seen:
                    rb[i] = rp[j] / v[i][j]
                    seen.add(("p", i))
                    stack.append(("p", i))
        denominator = sum(rp.values(), ZERO) + sum(rb[i] * base[i] for i in rb)
        if denominator <= 0:
            return None
        t = Fraction(len(rb)) / denominator
        for i, r in rb.items():
            beta[i] = r * t
        for j, r in rp.items():
            price[j] = r * t
    for i in parties:
        if i not in beta:  # holds no divisible share: utility from whole items only
            if base[i] <= 0:
                return None
            beta[i] = 1 / Fraction(base[i])
    # shares on the forest, leaf by leaf: an item's shares sum to 1, a party's divisible
    # utility is 1 / beta_i - base_i
    need_item = {j: Fraction(1) for j in valued}
    need_party = {i: 1 / beta[i] - base[i] for i in parties}
    remaining = {node: list(edges_) for node, edges_ in adjacency.items()}
    shares: dict[tuple[int, int], Fraction] = {}
    leaves = [node for node, e in remaining.items() if len(e) == 1]
    while leaves:
        node = leaves.pop()
        if len(remaining.get(node, [])) != 1:
            continue
        i, j = remaining[node][0]
        share = need_item[j] if node[0] == "i" else need_party[i] / v[i][j]
        shares[(i, j)] = share
        need_item[j] -= share
        need_party[i] -= share * v[i][j]
        for end in (("p", i), ("i", j)):
            remaining[end].remove((i, j))
            if len(remaining[end]) == 1:
                leaves.append(end)
    # exact checks: shares within [0, 1], every demand met, the price conditions everywhere
    if any(not 0 <= x <= 1 for x in shares.values()):
        return None
    if any(need_item[j] != 0 for j in valued) or any(need_party[i] != 0 for i in parties):
        return None
    for i in parties:
        for j in valued:
            bang = v[i][j] * beta[i]
            if bang > price[j] or (shares.get((i, j), ZERO) > 0 and bang != price[j]):
                return None
    return shares
