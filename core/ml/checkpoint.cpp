#include "ml/checkpoint.h"
#include "ml/mixed_precision.h"

#include <stdexcept>

#include <torch/torch.h>

namespace mb::ml {

namespace {

thread_local bool t_checkpointing = false;

/** Keeps the body alive inside the autograd context (saved_data holds IValues: a capsule carries it). */
struct CheckpointBodyHolder : torch::CustomClassHolder {
    CheckpointBody body;
    std::vector<bool> definedInputs;       ///< which of the body's inputs were defined tensors
    std::vector<torch::Tensor> parameters; ///< what trains that the body reads (leaves or LoRA weights)
    bool checkpointingSwitch = false;
    // CUDA autocast as it was in the forward pass: backward runs after the training step's autocast scope
    // has ended, and the recomputation must produce the dtypes the saved inputs and gradients have.
    bool autocast = false;
    c10::ScalarType autocastDtype = c10::ScalarType::Half;
};

/**
 * Forward: runs the body without autograd (custom Function forwards run with grad mode off) and keeps only
 * the inputs. Backward: re-runs the body on detached copies of the inputs with autograd on and returns the
 * gradients of the inputs and parameters. Argument slots: [holder, count (not tensors), inputs…,
 * parameters…].
 */
struct CheckpointFunction : public torch::autograd::Function<CheckpointFunction> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx,
                                 c10::intrusive_ptr<CheckpointBodyHolder> holder, int64_t inputCount,
                                 torch::TensorList tensors) {
        std::vector<torch::Tensor> inputs;
        size_t k = 0;
        for (const bool defined : holder->definedInputs) {
            inputs.push_back(defined ? tensors[k++] : torch::Tensor());
        }
        torch::Tensor out;
        {
            GradientCheckpointingScope scope(holder->checkpointingSwitch);
            out = holder->body(inputs);
        }
        ctx->save_for_backward(tensors.slice(0, static_cast<size_t>(inputCount)).vec());
        ctx->saved_data["holder"] = c10::IValue::make_capsule(holder);
        ctx->saved_data["inputs"] = inputCount;
        return out;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list gradOutputs) {
        auto holder =
            c10::static_intrusive_pointer_cast<CheckpointBodyHolder>(ctx->saved_data["holder"].toCapsule());
        const int64_t inputCount = ctx->saved_data["inputs"].toInt();
        const std::vector<torch::Tensor> saved = ctx->get_saved_variables();
        // The parameters are the Function's inputs after the saved ones; they are leaves we can use as-is.
        std::vector<torch::Tensor> detached, wrt;
        std::vector<size_t> wrtSlot; // position among [inputs…, parameters…] of each entry of wrt
        for (size_t i = 0; i < saved.size(); ++i) {
            torch::Tensor d = saved[i].detach();
            if (ctx->needs_input_grad(i)) {
                d.requires_grad_(true);
                wrt.push_back(d);
                wrtSlot.push_back(i);
            }
            detached.push_back(d);
        }
        std::vector<torch::Tensor> inputs;
        size_t k = 0;
        for (const bool defined : holder->definedInputs) {
            inputs.push_back(defined ? detached[k++] : torch::Tensor());
        }
        const std::vector<torch::Tensor>& params = holder->parameters;
        for (size_t p = 0; p < params.size(); ++p) {
            wrt.push_back(params[p]);
            wrtSlot.push_back(static_cast<size_t>(inputCount) + p);
        }
        torch::Tensor out;
        {
            torch::AutoGradMode enable(true);
            GradientCheckpointingScope scope(holder->checkpointingSwitch);
            CudaAutocastScope autocast(holder->autocast, holder->autocastDtype);
            out = holder->body(inputs);
        }
        // One slot per forward argument: holder and count (not tensors: undefined), then the tensors.
        constexpr size_t kNonTensorArgs = 2;
        torch::autograd::variable_list result(kNonTensorArgs + static_cast<size_t>(inputCount) +
                                              params.size());
        if (!out.requires_grad() || wrt.empty()) {
            return result; // nothing in the body depends on what trains
        }
        const torch::autograd::variable_list grads =
            torch::autograd::grad({out}, wrt, {gradOutputs[0]}, /*retain_graph=*/false,
                                  /*create_graph=*/false, /*allow_unused=*/true);
        for (size_t j = 0; j < grads.size(); ++j) {
            result[kNonTensorArgs + wrtSlot[j]] = grads[j];
        }
        return result;
    }
};

} // namespace

// GCC 14 inlines LibTorch 2.x's Function::apply (a std::vector<bool>::reserve inside it) into this function
// and then reports -Warray-bounds / -Wstringop-overflow false positives on libstdc++'s bit-vector copy; the
// code is LibTorch's.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 14
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
torch::Tensor checkpointed(CheckpointBody body, const std::vector<torch::Tensor>& inputs,
                           const std::vector<torch::Tensor>& parameters) {
    bool anyGrad = false;
    for (const auto& t : inputs) {
        anyGrad = anyGrad || (t.defined() && t.requires_grad());
    }
    std::vector<torch::Tensor> trainable;
    for (const auto& p : parameters) {
        if (p.defined() && p.requires_grad()) {
            trainable.push_back(p);
        }
    }
    if (!torch::GradMode::is_enabled() || (!anyGrad && trainable.empty())) {
        return body(inputs);
    }
    auto holder = c10::make_intrusive<CheckpointBodyHolder>();
    holder->body = std::move(body);
    holder->checkpointingSwitch = t_checkpointing;
    holder->autocast = CudaAutocastScope::active();
    holder->autocastDtype = CudaAutocastScope::active_dtype();
    holder->parameters = trainable;
    std::vector<torch::Tensor> tensors;
    for (const auto& t : inputs) {
        holder->definedInputs.push_back(t.defined());
        if (t.defined()) {
            tensors.push_back(t);
        }
    }
    const int64_t inputCount = static_cast<int64_t>(tensors.size());
    tensors.insert(tensors.end(), trainable.begin(), trainable.end());
    return CheckpointFunction::apply(holder, inputCount, torch::TensorList(tensors));
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 14
#pragma GCC diagnostic pop
#endif

std::vector<torch::Tensor> trainables_read_by(const torch::nn::Module& module) {
    std::vector<torch::Tensor> out;
    auto add = [&out](const torch::Tensor& t) {
        if (!t.defined() || !t.requires_grad()) {
            return;
        }
        for (const auto& have : out) {
            if (have.unsafeGetTensorImpl() == t.unsafeGetTensorImpl()) {
                return;
            }
        }
        out.push_back(t);
    };
    for (const auto& p : module.parameters(true)) {
        add(p);
    }
    // Linear layers read their public weight member, which LoRA points at W + s·B·A (lora.h): that graph
    // node, not the frozen registered parameter, is what the body differentiates.
    for (const auto& m : module.modules(true)) {
        if (const auto* lin = dynamic_cast<const torch::nn::LinearImpl*>(m.get())) {
            add(lin->weight);
            add(lin->bias);
        }
    }
    return out;
}

bool gradient_checkpointing_enabled() {
    return t_checkpointing;
}

GradientCheckpointingScope::GradientCheckpointingScope(bool enabled) : m_previous(t_checkpointing) {
    t_checkpointing = enabled;
}

GradientCheckpointingScope::~GradientCheckpointingScope() {
    t_checkpointing = m_previous;
}

} // namespace mb::ml
