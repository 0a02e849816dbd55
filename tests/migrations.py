"""Migrating the test database back to before a move and forward again (the app-move tests)."""
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def graph():
    return MigrationExecutor(connection).loader.graph


def before(graph, move, *, new_app=None):
    """Each app's latest migration that does not depend on `move`; `new_app` (created by the move) unmigrated."""
    moved = set(graph.backwards_plan(move))  # the move and every migration that depends on it
    targets = []
    for app, name in sorted(graph.leaf_nodes()):
        if app == new_app:
            targets.append((app, None))
            continue
        kept = [node for node in graph.forwards_plan((app, name)) if node[0] == app and node not in moved]
        targets.append(kept[-1] if kept else (app, None))
    return targets


def migrate(targets):
    """Migrate to `targets` and return the executor, its graph read back from what is applied now."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def old_apps(executor, targets):
    """The historical models at `targets` (apps left unmigrated skipped)."""
    return executor.loader.project_state([node for node in targets if node[1] is not None]).apps
