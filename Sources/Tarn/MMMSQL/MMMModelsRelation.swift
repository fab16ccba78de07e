import Storage
import Execution
import Planner

extension MMMOutputFunctions {
    /// `tarn.models`: the model registry as a relation of the `tarn` schema (same rows and columns as
    /// `tarn_models()`), resolved through `BinderContext.externalRelations` next to `tarn.loaded_files`.
    /// Rows are read when the query runs, so a plan bound before a fit still sees it.
    static func modelsRelation(_ lake: Lake) -> IngestRelations.Relation {
        (modelFields, OperatorFactory {
            DeferredRowsOperator(types: modelFields.map(\.type), label: "tarn.models") { _ in
                makeBatch(modelFields, try modelRows(lake))
            }
        })
    }
}
